import pg from 'pg';

/**
 * Statement calls counted AT the database by pg_stat_statements (loaded by the e2e global setup), so a test
 * can prove that a flood caused no query without spying on the code.
 */
export interface StatementStats {
  /** Calls, in this test's database, of statements whose text matches the ILIKE `pattern`. */
  calls(pattern: string): Promise<number>;
  end(): Promise<void>;
}

export async function openStatementStats(databaseUrl: string): Promise<StatementStats> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  return {
    async calls(pattern) {
      const { rows } = await client.query<{ n: number }>(
        `SELECT COALESCE(sum(calls), 0)::int AS n FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query ILIKE $1`,
        [pattern],
      );
      return rows[0]?.n ?? 0;
    },
    end: () => client.end(),
  };
}
