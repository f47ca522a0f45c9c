import { Button } from '../../components/ui/button.tsx';
import { useSignOut } from './use-auth.ts';

export function SignOutButton() {
  const signOut = useSignOut();
  return (
    <Button variant="ghost" size="sm" pending={signOut.isPending} onClick={() => signOut.mutate()}>
      Sign out
    </Button>
  );
}
