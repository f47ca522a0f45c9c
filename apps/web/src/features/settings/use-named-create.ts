import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { errorText } from '../../lib/error-text.ts';
import { queryClient } from '../../lib/query-client.ts';
import { fieldErrors } from './form-controls.tsx';

/**
 * The create form of something that needs a name (a display key, an API token): the missing name is
 * shown only once the admin has tried to submit, and the form empties after a create.
 */
export function useNamedCreate<Result>({
  create,
  refresh,
  onCreated,
}: {
  create: (name: string) => Promise<Result>;
  /** The list query the new item appears in. */
  refresh: readonly unknown[];
  onCreated: (result: Result, name: string) => void;
}) {
  const [name, setName] = useState('');
  const [checked, setChecked] = useState(false);
  const mutation = useMutation({
    mutationFn: () => create(name.trim()),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: refresh });
      onCreated(result, name.trim());
      setName('');
      setChecked(false);
    },
  });
  const issues = fieldErrors(mutation.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (!name.trim() || mutation.isPending) return;
    mutation.mutate();
  };
  return {
    name,
    setName,
    submit,
    pending: mutation.isPending,
    nameError: (whenMissing: string) => (checked && !name.trim() ? whenMissing : undefined) || issues.name,
    // Field problems show at their fields; anything else shows once for the form.
    formError: mutation.error && !Object.keys(issues).length ? errorText(mutation.error) : undefined,
  };
}
