import {
  Alert,
  Button,
  FileButton,
  Group,
  List,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { policySchema } from '@corsplane/contracts';
import { ApiError, errorMessage } from '../../../lib/api-client.js';
import { usePutCandidate } from '../api/put-candidate.js';
import { parsePolicyJson } from '../lib/candidate-diff.js';

/** Largest file read into the form: far above any valid policy (SPEC §2.3), small for a browser. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

interface Values {
  json: string;
  note: string;
}

/**
 * Sets the candidate from a pasted or uploaded JSON policy (the same document as `PUT …/policy`, e.g.
 * an export): the way to try a whole new origin list, such as moving from `*` to a list. The shape is
 * checked here with the contracts' schema; the engine's checks are the server's (422, each shown).
 */
export function CandidateUpload({
  slug,
  candidateEtag,
  onSaved,
}: {
  slug: string;
  /** The candidate being replaced, if any: its ETag guards against replacing a newer one. */
  candidateEtag: string | null;
  onSaved?: () => void;
}) {
  const put = usePutCandidate();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { json: '', note: '' },
    validate: {
      json: (text) => {
        const parsed = parsePolicyJson(text);
        if ('error' in parsed) return parsed.error;
        const shape = policySchema.safeParse(parsed.doc);
        if (shape.success) return null;
        return shape.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || 'document'}: ${i.message}`)
          .join('; ');
      },
      note: (n) => (n.length > 500 ? 'At most 500 characters' : null),
    },
  });

  const readFile = async (file: File | null) => {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      form.setFieldError('json', `The file is over ${MAX_FILE_BYTES / 1024 / 1024} MiB.`);
      return;
    }
    form.setFieldValue('json', await file.text());
    form.validateField('json');
  };

  const submit = form.onSubmit((values) => {
    const parsed = parsePolicyJson(values.json);
    if ('error' in parsed) return;
    const doc = policySchema.parse(parsed.doc);
    put.mutate(
      {
        slug,
        policy: doc,
        ...(candidateEtag ? { ifMatch: candidateEtag } : {}),
        ...(values.note.trim() ? { note: values.note.trim() } : {}),
      },
      {
        onSuccess: (saved) => {
          form.reset();
          notifications.show({
            color: 'green',
            title: 'Candidate saved',
            message: `Candidate version ${saved.candidate.version} is under shadow evaluation.`,
          });
          onSaved?.();
        },
      },
    );
  });

  const serverIssues =
    put.error instanceof ApiError && put.error.status === 422 ? put.error.details : [];
  const stale = put.error instanceof ApiError && put.error.status === 412;
  return (
    <form onSubmit={submit} aria-label="Set the candidate from JSON">
      <Stack gap="sm">
        <Textarea
          label="Policy document (JSON)"
          description="The same document as the live policy (an export works); its version is ignored."
          placeholder='{"mode":"enforce","origins":[{"pattern":"https://app.example.com"}],"allowedMethods":["GET"],"allowedHeaders":[],"exposedHeaders":[],"allowCredentials":false,"maxAgeSeconds":null,"allowPrivateNetwork":false}'
          minRows={6}
          maxRows={14}
          autosize={false}
          rows={8}
          classNames={{ input: 'mono' }}
          spellCheck={false}
          {...form.getInputProps('json')}
        />
        <TextInput label="Change note (optional)" {...form.getInputProps('note')} />
        {serverIssues.length > 0 && (
          <Alert color="red" title="The server refused this policy" role="alert">
            <List size="sm">
              {serverIssues.map((i, n) => (
                <List.Item key={n}>
                  <span className="mono">{i.path}</span>: {i.message}
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {stale && (
          <Alert color="orange" role="alert">
            The candidate was changed, promoted or discarded since this page loaded: nothing was
            saved. Check the page again, then retry.
          </Alert>
        )}
        {put.error && serverIssues.length === 0 && !stale && (
          <Alert color="red" role="alert">
            {errorMessage(put.error)}
          </Alert>
        )}
        <Group gap="xs">
          <FileButton onChange={(f) => void readFile(f)} accept="application/json,.json">
            {(props) => (
              <Button variant="default" {...props}>
                Choose a JSON file…
              </Button>
            )}
          </FileButton>
          <Button type="submit" loading={put.isPending}>
            {candidateEtag ? 'Replace the candidate' : 'Save as candidate'}
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          Only the live policy answers requests; the candidate is evaluated beside it and its
          differences counted on this page until you promote or discard it.
        </Text>
      </Stack>
    </form>
  );
}
