/** Options the adapters share with the `cors` package. */
export interface CorsAdapterOptions {
  /** Status of a successful preflight answered by the adapter. Default 204; some legacy clients need 200. */
  optionsSuccessStatus?: number;
  /** Pass successful preflights on to the next handler instead of answering them. Default false. */
  preflightContinue?: boolean;
}
