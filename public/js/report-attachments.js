// Progressive enhancement: attach a file without reloading the page, so the text being typed
// stays where it is. Without scripts the button saves the draft and the file in one step.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) return;

  function replaceFrom(doc, id) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
    return Boolean(fresh && old);
  }

  /** Posts `data` to `url` and puts the answered page's attachment list in place of ours. */
  function send(url, data, button, fallback) {
    button.disabled = true;
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        // The page answered is the report page (after the redirect, or with the file's error).
        if (!replaceFrom(doc, "attachments")) throw new Error("unexpected page");
        replaceFrom(doc, "attachment-delete-forms");
        var version = doc.querySelector('#report-form input[name="version"]');
        var mine = form.querySelector('input[name="version"]');
        // Attaching to a report not yet saved creates it: later saves need its version.
        if (version && mine && !mine.value) mine.value = version.value;
        var flash = doc.querySelector(".flash");
        var oldFlash = document.querySelector(".flash");
        if (flash && oldFlash) oldFlash.replaceWith(flash);
        else if (flash) document.querySelector("h1").insertAdjacentElement("beforebegin", flash);
        var error = document.getElementById("file-error");
        (error ? document.getElementById("file") : document.querySelector("#attachments h2")).focus();
      })
      .catch(fallback);
  }

  form.addEventListener("click", function (event) {
    // "Xóa" beside a file: delete it without leaving the page, the typed text stays.
    var remove = event.target.closest && event.target.closest("button[form^='delete-attachment-']");
    if (remove) {
      var target = document.getElementById(remove.getAttribute("form"));
      if (!target) return;
      event.preventDefault();
      send(target.getAttribute("action"), new FormData(target), remove, function () { target.submit(); });
      return;
    }
    var button = event.target.closest && event.target.closest("button[data-upload-url]");
    if (!button) return;
    event.preventDefault();
    var data = new FormData();
    data.append("_csrf", form.querySelector('input[name="_csrf"]').value);
    data.append("kind", form.querySelector('select[name="kind"]').value);
    var input = form.querySelector('input[name="file"]');
    if (input.files && input.files[0]) data.append("file", input.files[0]);
    button.textContent = "Đang tải tệp lên…";
    send(button.getAttribute("data-upload-url"), data, button, function () {
      // Anything unexpected: fall back to the form's own submission (draft and file together).
      button.removeAttribute("data-upload-url");
      button.disabled = false;
      button.click();
    });
  });
})();
