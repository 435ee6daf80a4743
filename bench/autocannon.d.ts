// Minimal typing of the parts of autocannon 8 the benchmarks use (the package ships no types).
declare module "autocannon" {
  export interface Histogram { average: number; mean: number; p50: number; p90: number; p99: number; max: number; min: number; total: number }
  export interface Result { requests: Histogram; latency: Histogram; throughput: Histogram; errors: number; timeouts: number; non2xx: number; "2xx": number; "3xx": number; "4xx": number; "5xx": number; duration: number }
  export interface Request {
    method?: string; path?: string; headers?: Record<string, string>; body?: string;
    setupRequest?: (req: Request, context: Record<string, unknown>) => Request;
    onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: unknown) => void;
  }
  export interface Options { url: string; connections?: number; duration?: number; amount?: number; timeout?: number; headers?: Record<string, string>; method?: string; body?: string; requests?: Request[] }
  /** With a callback: the running instance, which emits "response" (client, status, bytes, latency in ms) for each. */
  export interface Instance { on(event: "response", listener: (client: unknown, status: number, bytes: number, ms: number) => void): Instance }
  function autocannon(opts: Options): Promise<Result>;
  function autocannon(opts: Options, done: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
