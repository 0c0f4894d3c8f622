/**
 * `npm run token -- --role <window|reviewer|supervisor|admin> --dept <code> [--sub <staff id>] [--ttl 12h]`
 * prints a staff token signed with the local key (the same key `npm start` verifies with),
 * as the last line of its output.
 */
import { parseArgs } from 'node:util';
import { STAFF_ROLES } from '../../shared/domain/case';
import { localSecrets, signStaffToken } from './keys';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { role: { type: 'string' }, dept: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string' } },
  });
  const role = values.role ?? '';
  if (!(STAFF_ROLES as readonly string[]).includes(role))
    throw new Error(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  if (!values.dept || !/^[A-Z][A-Z0-9]{1,15}$/.test(values.dept))
    throw new Error('--dept must be a department code such as ENV');
  const secrets = await localSecrets(process.env.ONEWINDOW_DATA_DIR ?? '.data');
  const sub = values.sub ?? `${values.dept.toLowerCase()}-${role}`;
  console.error(`token for ${sub} (${role}, ${values.dept}); send it as "Authorization: Bearer <token>"`);
  console.log(await signStaffToken(secrets, { sub, role, dept: values.dept }, values.ttl ?? '12h'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
