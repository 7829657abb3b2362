import { refusalReason, TargetRefusedError, vetTarget } from '../../src/delivery/ssrf.js';

const refuse = { allowPrivateTargets: false };
const allow = { allowPrivateTargets: true };

describe('target address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.10', 'private'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['64:ff9b::10.0.0.1', 'private'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(refusalReason(address)).toContain(kind);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8'])(
    'lets the public address %s through',
    (address) => {
      expect(refusalReason(address)).toBeNull();
    },
  );

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[::ffff:7f00:1]/hook',
    'https://169.254.169.254/latest/meta-data/',
    'http://10.0.0.5/hook',
    'http://100.64.1.1/hook',
    'http://0.0.0.0/hook',
  ])('refuses the URL %s with a sentence', async (url) => {
    await expect(vetTarget(url, refuse)).rejects.toThrow(
      /points into a private network: .+\. Webhooks are only sent to public addresses \(for local development, start the connector with CONNECTOR_ALLOW_PRIVATE_TARGETS=true\)\./,
    );
  });

  it('resolves host names and refuses one that points at a private address (localhost)', async () => {
    const refused = vetTarget('http://localhost:3000/hook', refuse);
    await expect(refused).rejects.toBeInstanceOf(TargetRefusedError);
    await expect(refused).rejects.toThrow(/localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
  });

  it('allows private targets when the operator says so', async () => {
    await expect(vetTarget('http://localhost:3000/hook', allow)).resolves.toMatchObject({ hostname: 'localhost' });
    await expect(vetTarget('http://[::ffff:127.0.0.1]/hook', allow)).resolves.toMatchObject({ hostname: '::ffff:7f00:1' });
  });

  it('refuses other schemes, credentials in the URL, and hosts that do not resolve, even when private targets are allowed', async () => {
    await expect(vetTarget('ftp://example.com/hook', allow)).rejects.toThrow('must use http or https, not ftp');
    await expect(vetTarget('file:///etc/passwd', allow)).rejects.toThrow('must use http or https');
    await expect(vetTarget('https://user:pw@example.com/hook', allow)).rejects.toThrow('must not carry a user name or password');
    await expect(vetTarget('https://no-such-host.invalid/hook', allow)).rejects.toThrow(/no-such-host\.invalid could not be resolved/);
    await expect(vetTarget('not a url', allow)).rejects.toThrow('not a valid URL');
  });
});
