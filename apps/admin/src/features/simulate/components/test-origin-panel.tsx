import { LabelledSegmented } from '../../../components/ui/labelled-segmented.js';
import { useState, type FormEvent } from 'react';
import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { ErrorState } from '../../../components/ui/states.js';
import { formatUtc } from '../../../lib/format-time.js';
import { useSimulate } from '../api/simulate.js';
import { reasonText } from '../lib/reason-text.js';

/**
 * `candidate`: the tenant's candidate policy (its version), when it has one. The same request is then also
 * simulated against the stored candidate (`candidate: true`: the same engine and platform baseline as
 * /resolve, no tenant key needed, and no 100,000-origin document sent per click) and both verdicts are shown
 * side by side.
 */
export function TestOriginPanel({
  slug,
  candidate = null,
}: {
  slug: string;
  candidate?: { version: number } | null;
}) {
  const [origin, setOrigin] = useState('https://app.example.com');
  const [kind, setKind] = useState<'preflight' | 'actual'>('preflight');
  const [method, setMethod] = useState('PUT');
  const [headers, setHeaders] = useState('content-type');
  const [privateNetwork, setPrivateNetwork] = useState(false);
  const [path, setPath] = useState('');
  const sim = useSimulate();
  const shadow = useSimulate();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      origin: origin.trim(),
      method: method.trim() || 'GET',
      ...(kind === 'preflight' && headers.trim() ? { headers: headers.trim() } : {}),
      ...(kind === 'preflight' && privateNetwork ? { privateNetwork: true } : {}),
      preflight: kind === 'preflight',
      // SPEC §2.1: the request path picks the policy's route; empty means the default.
      ...(path.trim() ? { path: path.trim() } : {}),
    };
    sim.mutate({ slug, body });
    if (candidate) shadow.mutate({ slug, body: { ...body, candidate: true } });
    else shadow.reset();
  };
  const r = sim.data;
  const headerEntries = r ? Object.entries(r.headers) : [];

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }}>
      <Card withBorder>
        <form onSubmit={submit} aria-label="Test an origin">
          <Stack>
            <Title order={3} size="h4">
              Request
            </Title>
            <Text size="sm" c="dimmed">
              Asks the service what <Code>GET /resolve</Code> answers for this request against the
              saved policy.
            </Text>
            <TextInput
              label="Origin"
              value={origin}
              onChange={(e) => setOrigin(e.currentTarget.value)}
              classNames={{ input: 'mono' }}
              required
              spellCheck={false}
            />
            <TextInput
              label="Path"
              description="The request path, to pick the policy's route (empty: the default rules)."
              placeholder="/api/items?page=2"
              value={path}
              onChange={(e) => setPath(e.currentTarget.value)}
              classNames={{ input: 'mono' }}
              spellCheck={false}
            />
            <LabelledSegmented
              id="request-kind"
              label="Request type"
              value={kind}
              onChange={setKind}
              data={[
                { value: 'preflight', label: 'Preflight (OPTIONS)' },
                { value: 'actual', label: 'Actual request' },
              ]}
            />
            <TextInput
              label={kind === 'preflight' ? 'Method (Access-Control-Request-Method)' : 'Method'}
              value={method}
              onChange={(e) => setMethod(e.currentTarget.value.toUpperCase())}
              classNames={{ input: 'mono' }}
            />
            {kind === 'preflight' && (
              <>
                <TextInput
                  label="Headers (Access-Control-Request-Headers)"
                  description="Comma-separated, as the browser sends them."
                  value={headers}
                  onChange={(e) => setHeaders(e.currentTarget.value)}
                  classNames={{ input: 'mono' }}
                />
                <Checkbox
                  label="Private network request (Access-Control-Request-Private-Network)"
                  checked={privateNetwork}
                  onChange={(e) => setPrivateNetwork(e.currentTarget.checked)}
                />
              </>
            )}
            <Group>
              <Button type="submit" loading={sim.isPending}>
                Test
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <Card withBorder aria-live="polite" data-testid="verdict-card">
        <Stack>
          <Title order={3} size="h4">
            Verdict
          </Title>
          {sim.error && <ErrorState title="The test failed" error={sim.error} />}
          {!r && !sim.error && (
            <Text c="dimmed" size="sm">
              Run a test to see the decision and the exact response headers.
            </Text>
          )}
          {r && (
            <>
              <Group gap="sm">
                <Badge size="xl" color={r.allowed ? 'green' : 'red'} data-testid="verdict">
                  {r.allowed ? 'Allowed' : 'Refused'}
                </Badge>
                <Badge variant="light" color="gray">
                  {r.reason}
                </Badge>
                {r.mode === 'report-only' && (
                  <Badge variant="light" color="orange">
                    report-only
                  </Badge>
                )}
              </Group>
              <Text data-testid="verdict-reason">{reasonText(r)}</Text>
              {candidate && (shadow.data || shadow.error) && (
                <CandidateVerdict
                  version={candidate.version}
                  live={r}
                  result={shadow.data}
                  error={shadow.error}
                />
              )}
              <Table variant="vertical" withTableBorder>
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Th w={180}>Matched entry</Table.Th>
                    <Table.Td className="mono" data-testid="matched-pattern">
                      {r.matchedEntry
                        ? `${r.matchedEntry.pattern}${r.matchedEntry.source === 'baseline' ? ' (platform baseline)' : ''}`
                        : '—'}
                    </Table.Td>
                  </Table.Tr>
                  {r.matchedEntry?.expiresAt && (
                    <Table.Tr>
                      <Table.Th>{r.reason === 'expired' ? 'Expired' : 'Expires'}</Table.Th>
                      <Table.Td data-testid="matched-expiry">
                        {formatUtc(r.matchedEntry.expiresAt)}
                      </Table.Td>
                    </Table.Tr>
                  )}
                  {r.refusedName && (
                    <Table.Tr>
                      <Table.Th>
                        {r.reason === 'method-not-allowed' ? 'Refused method' : 'Refused headers'}
                      </Table.Th>
                      <Table.Td className="mono" data-testid="refused-name">
                        {r.refusedName}
                      </Table.Td>
                    </Table.Tr>
                  )}
                  <Table.Tr>
                    <Table.Th>Route</Table.Th>
                    <Table.Td className="mono" data-testid="decided-route">
                      {r.route ?? 'default'}
                    </Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Kind</Table.Th>
                    <Table.Td>
                      {r.preflight
                        ? `preflight, answered with ${r.status ?? 204}`
                        : 'actual request'}
                    </Table.Td>
                  </Table.Tr>
                  <Table.Tr>
                    <Table.Th>Policy version</Table.Th>
                    <Table.Td>{r.policyVersion}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
              <Title order={4} size="h5">
                Response headers
              </Title>
              {!r.headers['access-control-allow-origin'] && (
                <Alert color="gray" variant="light">
                  No Access-Control-Allow-Origin: the browser will block the response.
                </Alert>
              )}
              {headerEntries.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No headers to add.
                </Text>
              ) : (
                <Code
                  block
                  data-testid="response-headers"
                  style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
                >
                  {headerEntries.map(([k, v]) => `${k}: ${v}`).join('\n')}
                </Code>
              )}
            </>
          )}
        </Stack>
      </Card>
    </SimpleGrid>
  );
}

/** The candidate's verdict for the same request, beside the live one (shadow evaluation, SPEC §3). */
function CandidateVerdict({
  version,
  live,
  result,
  error,
}: {
  version: number;
  live: { allowed: boolean };
  result: { allowed: boolean; reason: string } | undefined;
  error: unknown;
}) {
  return (
    <Alert
      variant="light"
      color={result && result.allowed !== live.allowed ? 'orange' : 'gray'}
      title={`Candidate version ${version}`}
      data-testid="candidate-verdict"
    >
      {error ? (
        <ErrorState title="The candidate test failed" error={error} />
      ) : result ? (
        <Group gap="sm">
          <Badge color={result.allowed ? 'green' : 'red'} data-testid="candidate-verdict-badge">
            {result.allowed ? 'Allowed' : 'Refused'}
          </Badge>
          <Badge variant="light" color="gray">
            {result.reason}
          </Badge>
          <Text size="sm">
            {result.allowed === live.allowed
              ? 'Same verdict as the live policy.'
              : result.allowed
                ? 'The candidate would newly allow this request.'
                : 'The candidate would newly block this request.'}
          </Text>
        </Group>
      ) : null}
    </Alert>
  );
}
