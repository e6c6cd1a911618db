import { readFileSync } from 'node:fs';

/**
 * The local addresses that listen on TCP `port`, from /proc/net/tcp and tcp6 (Linux):
 * e.g. ["127.0.0.1"], or ["0.0.0.0"] / ["::"] for a socket bound to every interface.
 * IPv4-mapped IPv6 addresses read as their IPv4 form.
 */
export function listenAddresses(port: number): string[] {
  const out: string[] = [];
  for (const [file, v6] of [['/proc/net/tcp', false], ['/proc/net/tcp6', true]] as const) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // 0A: LISTEN
      const [addr, portHex] = fields[1]!.split(':');
      if (parseInt(portHex!, 16) !== port) continue;
      out.push(v6 ? ipv6(addr!) : ipv4(addr!));
    }
  }
  return out;
}

/** /proc writes an IPv4 address as one little-endian 32-bit word in hex. */
function ipv4(hex: string): string {
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

/** /proc writes an IPv6 address as four little-endian 32-bit words in hex. */
function ipv6(hex: string): string {
  const bytes: number[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (const i of [6, 4, 2, 0]) bytes.push(parseInt(word.slice(i, i + 2), 16));
  }
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  if (bytes.every((b) => b === 0)) return '::';
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}
