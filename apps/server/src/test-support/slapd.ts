/**
 * A throwaway OpenLDAP for the directory tests: Debian's slapd with its own slapd.conf (mdb backend,
 * a root DN and password) in a temp dir, on a free loopback port, as the current user, seeded with
 * ldapadd and deleted afterwards. Without slapd the directory tests skip with SLAPD_MISSING, loudly.
 * With `tls`, it also listens for ldaps:// with a certificate signed by a CA made for this run (openssl),
 * as an office directory signed by its own CA does.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export const SLAPD_MISSING =
  'slapd not installed: apt-get install slapd ldap-utils openssl (the directory (LDAP) tests are SKIPPED)';

const SLAPD = '/usr/sbin/slapd';
const SCHEMA = '/etc/ldap/schema';

/** Whether slapd, ldapadd and the schemas the tests need are here; says so loudly when not. */
export function slapdAvailable(): boolean {
  const ok =
    fs.existsSync(SLAPD) &&
    fs.existsSync(path.join(SCHEMA, 'inetorgperson.schema')) &&
    ['/usr/bin/ldapadd', '/bin/ldapadd'].some((p) => fs.existsSync(p)) &&
    ['/usr/bin/openssl', '/bin/openssl'].some((p) => fs.existsSync(p));
  if (!ok) {
    const bar = '!'.repeat(SLAPD_MISSING.length + 8);
    process.stderr.write(`\n${bar}\n!!! ${SLAPD_MISSING} !!!\n${bar}\n\n`);
  }
  return ok;
}

export interface Slapd {
  url: string;
  /** With `tls`: the ldaps:// address, and the PEM of the CA that signed its certificate (for 127.0.0.1). */
  ldapsUrl?: string;
  caPem?: string;
  baseDn: string;
  rootDn: string;
  rootPassword: string;
  /** Adds entries (LDIF text) as the root DN. */
  add(ldif: string): Promise<void>;
  stop(): Promise<void>;
}

const BASE_DN = 'dc=example,dc=com';

/** A CA and a server certificate for 127.0.0.1 signed by it, valid for two days. */
async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const openssl = (args: string) => run('openssl', args.split(' '), { cwd: dir });
  const ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
  await openssl(
    `req -x509 ${ec} -keyout ca.key -out ca.pem -days 2 -subj /CN=LineDeck-test-CA ` +
      '-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
  );
  await openssl(`req ${ec} -keyout server.key -out server.csr -subj /CN=127.0.0.1`);
  fs.writeFileSync(
    path.join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  await openssl(
    'x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext',
  );
  const f = (name: string) => path.join(dir, name);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

export async function startSlapd(options: { tls?: boolean } = {}): Promise<Slapd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linedeck-slapd-'));
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir);
  const tls = options.tls ? await makeCertificates(dir) : undefined;
  const rootDn = `cn=admin,${BASE_DN}`;
  const rootPassword = 'slapd-test-root';
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      `include ${SCHEMA}/core.schema`,
      `include ${SCHEMA}/cosine.schema`,
      `include ${SCHEMA}/inetorgperson.schema`,
      `pidfile ${dir}/slapd.pid`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'database mdb',
      `suffix "${BASE_DN}"`,
      `rootdn "${rootDn}"`,
      `rootpw ${rootPassword}`,
      `directory ${dataDir}`,
      'maxsize 10485760',
      ...(tls
        ? [
            `TLSCACertificateFile ${tls.ca}`,
            `TLSCertificateFile ${tls.cert}`,
            `TLSCertificateKeyFile ${tls.key}`,
          ]
        : []),
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tls ? `ldaps://127.0.0.1:${await freePort()}` : undefined;
  const listeners = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
  // `-d 0`: stay in the foreground, so stopping is killing this child.
  const child: ChildProcess = spawn(SLAPD, ['-d', '0', '-f', conf, '-h', listeners], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const ldapAdd = async (ldif: string) => {
    const file = path.join(dir, `add-${Date.now()}-${Math.random().toString(36).slice(2)}.ldif`);
    fs.writeFileSync(file, ldif);
    await run('ldapadd', ['-x', '-H', url, '-D', rootDn, '-w', rootPassword, '-f', file]);
  };
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the root entry can be added (slapd answers on its port).
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await ldapAdd(
        `dn: ${BASE_DN}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n`,
      );
      break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`slapd did not start: ${stderr.slice(-500) || String(err)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const secure = tls && ldapsUrl ? { ldapsUrl, caPem: fs.readFileSync(tls.ca, 'utf8') } : {};
  return { url, ...secure, baseDn: BASE_DN, rootDn, rootPassword, add: ldapAdd, stop };
}
