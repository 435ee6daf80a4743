import type { NextFunction, Request, RequestHandler, Response, Router } from "express";
import { pathToRegexp } from "path-to-regexp";

interface RouterLayer {
  route?: { path: string | string[] };
}

/** The route paths of a router, or undefined when it has any layer that is not a route (router.use). */
function routePaths(router: Router): string[] | undefined {
  const paths: string[] = [];
  for (const layer of router.stack as RouterLayer[]) {
    if (!layer.route || typeof layer.route.path !== "string") return undefined;
    paths.push(layer.route.path);
  }
  return paths;
}

/**
 * Express offers every request to each feature router in turn, and each router tries its routes one by
 * one: a page served by a router mounted late was first matched against a hundred routes of the others,
 * about a tenth of a kept page's CPU (issue 16). A feature router is now entered only when one of its
 * routes can match the path: one regular expression, built by path-to-regexp (Express's own matcher)
 * from the router's own route paths with the options Express gives them (case-insensitive, a trailing
 * slash allowed, the whole path). A router with any other layer is always entered.
 */
export function featureRouter(router: Router): RequestHandler {
  let built: { layers: number; regexp: RegExp | undefined } | undefined;
  const regexpFor = () => {
    // Built at the first request, when the router is complete; again if a route was added since.
    if (built?.layers !== router.stack.length) {
      const paths = routePaths(router);
      const loosened = paths?.map((p) => (p === "/" ? p : p.replace(/\/+$/, "")));
      built = { layers: router.stack.length, regexp: loosened && loosened.length > 0 ? pathToRegexp(loosened, { sensitive: false, end: true, trailing: true }).regexp : undefined };
    }
    return built.regexp;
  };
  const enter = (req: Request, res: Response, next: NextFunction) => {
    const regexp = regexpFor();
    if (regexp && !regexp.test(req.path)) return next();
    router(req, res, next);
  };
  // The router's own routes stay visible to whatever walks the app's routes (the permission table's test).
  return Object.assign(enter, { stack: router.stack });
}
