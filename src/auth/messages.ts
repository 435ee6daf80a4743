export const messages = {
  badCredentials: "Tên đăng nhập hoặc mật khẩu không đúng.",
  locked: (minutes: number) =>
    `Đăng nhập sai quá nhiều lần. Vì an toàn, vui lòng thử lại sau ${minutes} phút.`,
  wrongCurrentPassword: "Mật khẩu hiện tại không đúng.",
  sessionTooOld: "Phiên đăng nhập đã quá 12 giờ. Vì an toàn, vui lòng đăng nhập lại.",
  loggedOut: "Bạn đã đăng xuất.",
  welcome: (name: string) => `Xin chào ${name}.`,
} as const;
