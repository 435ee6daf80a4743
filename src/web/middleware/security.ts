import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/** Strict CSP: no inline script or style; scripts are progressive enhancement from /public. */
export function helmetFor(production: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(production ? { upgradeInsecureRequests: [] } : { upgradeInsecureRequests: null }),
      },
    },
    strictTransportSecurity: production ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "same-origin" },
  }) as RequestHandler;
}

type HeaderStep = ["set", string, string | number | readonly string[]] | ["remove", string];

/**
 * What helmet does to a response, recorded once: with no directive computed per request (none is a
 * function here), it sets the same headers on every response. Undefined when it did anything else
 * (then helmet runs per request).
 */
export function recordHeaders(handler: RequestHandler): HeaderStep[] | undefined {
  const steps: HeaderStep[] = [];
  let other = false;
  let done = false;
  const res = {
    setHeader: (name: string, value: string | number | readonly string[]) => steps.push(["set", name, value]),
    removeHeader: (name: string) => steps.push(["remove", name]),
  };
  const spy = new Proxy(res, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      other = true;
      return undefined;
    },
  });
  handler({} as Request, spy as unknown as Response, (err?: unknown) => {
    done = err === undefined;
  });
  return done && !other ? steps : undefined;
}

/**
 * helmet's headers on every response. helmet runs a dozen middlewares per request to set the same
 * headers each time; they are recorded at start and replayed (issue 16: the fixed per-request cost).
 */
export function securityHeaders(production: boolean): RequestHandler {
  const handler = helmetFor(production);
  const steps = recordHeaders(handler);
  if (!steps) return handler;
  return (_req: Request, res: Response, next: NextFunction) => {
    for (const step of steps) {
      if (step[0] === "set") res.setHeader(step[1], step[2]);
      else res.removeHeader(step[1]);
    }
    next();
  };
}
