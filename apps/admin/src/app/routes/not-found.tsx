import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <Stack align="center" py="xl">
      <Title order={2}>Page not found</Title>
      <Text c="dimmed">Nothing lives at this address.</Text>
      <Anchor component={Link} to="/tenants">
        Back to tenants
      </Anchor>
    </Stack>
  );
}
