import { useEffect, useState } from 'react';
import { Alert, Anchor, Group, Loader, Modal, Radio, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { requestOfBlocked, type BlockedOrigin } from '@corsplane/contracts';
import { DialogActions } from '../../../components/ui/dialog-actions.js';
import { errorMessage } from '../../../lib/api-client.js';
import { formatUtc } from '../../../lib/format-time.js';
import { reasonText, simulate } from '../../simulate/index.js';
import { blockedOriginsKeys } from '../api/query-keys.js';
import { useApplyFix, type ApplicableFix } from '../api/apply-fix.js';
import { planFix, type AllowFix } from '../lib/allow-fix.js';

const DAY_MS = 86_400_000;
const quoted = (names: string[]) => names.map((n) => `“${n}”`).join(', ');
const ofRoute = (route: string | null) => (route === null ? '' : ` of the route ${route}`);

/**
 * "Allow" for one blocked row: asks simulate what the live policy answers to the row's request now, then offers
 * the change that fixes that reason (an origin, a method, headers, an expiry, private network access).
 */
export function AllowFixModal({
  slug,
  row,
  onClose,
}: {
  slug: string;
  row: BlockedOrigin;
  onClose: () => void;
}) {
  const body = requestOfBlocked(row);
  const verdict = useQuery({
    queryKey: blockedOriginsKeys.verdict(slug, body),
    queryFn: () => simulate({ slug, body: body! }),
    enabled: body !== null,
    staleTime: 0,
    gcTime: 0,
  });
  const apply = useApplyFix(slug);
  const fix: AllowFix | null = verdict.data ? planFix(row, verdict.data) : null;

  return (
    <Modal opened onClose={onClose} title={`Allow ${row.origin}`} size="lg">
      <Stack>
        {body === null ? (
          <Text size="sm">
            This refusal cannot be replayed (it was logged before the refused names were kept, or
            its origin is malformed). Check it in{' '}
            <Anchor component={Link} to={`/tenants/${slug}/test`}>
              Test an origin
            </Anchor>
            .
          </Text>
        ) : verdict.isPending ? (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Checking the live policy…</Text>
          </Group>
        ) : verdict.error ? (
          <Alert color="red">{errorMessage(verdict.error)}</Alert>
        ) : (
          <>
            <Text size="sm" data-testid="allow-reason">
              {reasonText(verdict.data)}
            </Text>
            {fix && (
              <FixForm
                fix={fix}
                slug={slug}
                pending={apply.isPending}
                onApply={(f) =>
                  apply.mutate({ origin: row.origin, fix: f }, { onSuccess: () => onClose() })
                }
                onClose={onClose}
              />
            )}
          </>
        )}
        {apply.error ? (
          <Alert color="red" role="alert">
            {errorMessage(apply.error)}
          </Alert>
        ) : null}
      </Stack>
    </Modal>
  );
}

function FixForm({
  fix,
  slug,
  pending,
  onApply,
  onClose,
}: {
  fix: AllowFix;
  slug: string;
  pending: boolean;
  onApply: (fix: ApplicableFix) => void;
  onClose: () => void;
}) {
  const [choice, setChoice] = useState('');
  const actions = (label: string, apply: () => void) => (
    <DialogActions
      confirmLabel={label}
      color="green"
      pending={pending}
      onConfirm={apply}
      onCancel={onClose}
    />
  );
  switch (fix.kind) {
    case 'allowed':
      return (
        <Text size="sm" c="green.8" data-testid="allow-done">
          Already allowed by policy version {fix.version}: nothing to change.
        </Text>
      );
    case 'none':
      return (
        <Text size="sm">
          {fix.why}{' '}
          <Anchor component={Link} to={`/tenants/${slug}/policy`}>
            Open the policy
          </Anchor>
        </Text>
      );
    case 'add-origin':
      return (
        <>
          <OriginChoice origin={fix.origin} value={choice} onChange={setChoice} />
          {actions('Add origin', () =>
            onApply({ kind: 'add-origin', origin: choice || fix.origin }),
          )}
        </>
      );
    case 'renew-entry':
      return (
        <>
          <Radio.Group
            label={`The entry “${fix.pattern}” expired on ${formatUtc(fix.expiredAt)}.`}
            value={choice || 'clear'}
            onChange={setChoice}
          >
            <Stack gap={4} mt="xs">
              <Radio value="clear" label="Clear the expiry (the entry never expires)" />
              <Radio
                value="extend"
                label={`Extend it by 30 days (to ${formatUtc(new Date(Date.now() + 30 * DAY_MS).toISOString())})`}
              />
            </Stack>
          </Radio.Group>
          {actions('Renew entry', () =>
            onApply({
              kind: 'renew-entry',
              pattern: fix.pattern,
              expiresAt:
                choice === 'extend' ? new Date(Date.now() + 30 * DAY_MS).toISOString() : null,
            }),
          )}
        </>
      );
    case 'add-method':
      return (
        <>
          <Text size="sm">
            Add the method “{fix.method}” to the allowed methods{ofRoute(fix.route)}.
          </Text>
          {actions('Add method', () => onApply(fix))}
        </>
      );
    case 'add-headers':
      return (
        <>
          <Text size="sm">
            Add the header{fix.headers.length > 1 ? 's' : ''} {quoted(fix.headers)} to the allowed
            headers{ofRoute(fix.route)}.
          </Text>
          {actions(fix.headers.length > 1 ? 'Add headers' : 'Add header', () => onApply(fix))}
        </>
      );
    case 'allow-private-network':
      return (
        <>
          <Text size="sm">Turn on private network access{ofRoute(fix.route)}.</Text>
          {actions('Allow private network access', () => onApply(fix))}
        </>
      );
  }
}

/** The exact origin, or a wider pattern it fits; the suggestions (and their public-suffix list) load here only. */
function OriginChoice({
  origin,
  value,
  onChange,
}: {
  origin: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const [fits, setFits] = useState<{ pattern: string; label: string }[] | null>(null);
  useEffect(() => {
    let live = true;
    // Loaded on use: the public-suffix list behind the suggestions is the console's largest module.
    void import('../../policy/index.js').then((m) => {
      if (live) setFits(m.suggestPatterns(origin));
    });
    return () => {
      live = false;
    };
  }, [origin]);
  const options = fits ?? [{ pattern: origin, label: 'exactly this origin' }];
  return (
    <Radio.Group
      label="Add to the allow-list"
      value={value || options[0]?.pattern}
      onChange={onChange}
    >
      <Stack gap={4} mt="xs">
        {options.map((f) => (
          <Radio key={f.pattern} value={f.pattern} label={`${f.pattern} (${f.label})`} />
        ))}
      </Stack>
    </Radio.Group>
  );
}
