export declare const TEST_CLIENT: { id: string; secret: string };

export interface StartedOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export declare function startOidcProvider(
  redirectUri: string,
  findIdentity: (login: string) => Record<string, unknown> | undefined,
  rolesClaim?: string,
): Promise<StartedOidcProvider>;
