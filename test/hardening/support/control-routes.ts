import type { Express } from 'express';
import { loadSpec } from '../../../contracts/openapi/load-spec.ts';

interface RouterLayer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: RouterLayer[] };
}

/**
 * Every control-plane endpoint the app actually declares, read from Express's
 * router, so that an endpoint added later cannot escape the token tests.
 * Routes of openapi.yaml are the public API; every other routed path is mock-only.
 */
export function controlPlaneEndpoints(app: Express, mount = '/_mock'): { method: string; path: string }[] {
  const publicPaths = new Set(loadSpec().paths.map((p) => p.expressPath));
  const stack = (app as unknown as { router: { stack: RouterLayer[] } }).router.stack;
  const endpoints: { method: string; path: string }[] = [];
  for (const layer of stack) {
    for (const inner of layer.handle?.stack ?? []) {
      const route = inner.route;
      if (!route || publicPaths.has(route.path)) continue;
      for (const method of Object.keys(route.methods).filter((m) => m !== '_all'))
        endpoints.push({ method: method.toUpperCase(), path: `${mount}${route.path}` });
    }
  }
  return endpoints;
}
