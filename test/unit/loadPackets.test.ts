import { describe, expect, it } from 'vitest';
import { LoadPackets } from '../../lib/db/mysql/loadPackets.js';

interface Sent {
  /** The bytes as the socket was handed them (the view, still the buffer's memory). */
  view: Buffer;
  /** What they were then. */
  then: Buffer;
  done: (err?: Error | null) => void;
}

/** A socket that writes only when told to, and a connection's sequence number. */
function slowConnection(sequenceId = 0) {
  const sent: Sent[] = [];
  const conn = {
    sequenceId,
    stream: {
      write(chunk: Buffer, callback: (err?: Error | null) => void) {
        sent.push({ view: chunk, then: Buffer.from(chunk), done: callback });
        return false;
      },
    },
  };
  return { conn, sent };
}

/** Parses MySQL packets: [payload length (3 bytes LE), sequence number, payload]. */
function packetsOf(sent: Sent[]) {
  return sent.map(({ then }) => {
    expect(then.readUIntLE(0, 3)).toBe(then.length - 4);
    return { seq: then[3], payload: then.subarray(4).toString('latin1') };
  });
}

const settled = async (p: Promise<unknown>) => {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
};

describe('LoadPackets', () => {
  it('frames the chunks as packets of at most the buffer size, numbered on from the connection', async () => {
    // Prepare
    const { conn, sent } = slowConnection(254);
    const packets = new LoadPackets(conn, new Promise(() => {}), 8, 4);

    // Act: 11 bytes in chunks that do not line up with the packets
    await packets.write([Buffer.from('abc'), Buffer.from('defgh'), Buffer.from('ijk')]);

    // Assess: the full packets go at once; the short last one once the socket is idle
    expect(packetsOf(sent)).toEqual([
      { seq: 254, payload: 'abcd' },
      { seq: 255, payload: 'efgh' },
    ]);
    sent[0]?.done();
    expect(sent).toHaveLength(2);
    sent[1]?.done();
    expect(packetsOf(sent)[2]).toEqual({ seq: 0, payload: 'ijk' });
    expect(conn.sequenceId).toBe(1);
  });

  it('fills a part-filled packet on with the next batch while the socket is busy', async () => {
    // Prepare
    const { conn, sent } = slowConnection();
    const packets = new LoadPackets(conn, new Promise(() => {}), 8, 4);

    // Act: small batches; the socket writes only after the third
    await packets.write([Buffer.from('ab')]);
    await packets.write([Buffer.from('c')]);
    await packets.write([Buffer.from('def')]);
    sent[0]?.done();
    sent[1]?.done();

    // Assess: the first goes alone (the socket was idle), the rest in full packets
    expect(packetsOf(sent).map((p) => p.payload)).toEqual(['ab', 'cdef']);
  });

  it('sends what waits, and nothing after it, when the file ends; nothing once discarded', async () => {
    // Prepare
    const ending = slowConnection();
    const ended = new LoadPackets(ending.conn, new Promise(() => {}), 8, 4);
    const aborting = slowConnection();
    const discarded = new LoadPackets(aborting.conn, new Promise(() => {}), 8, 4);
    for (const p of [ended, discarded]) {
      await p.write([Buffer.from('ab')]);
      await p.write([Buffer.from('c')]);
    }

    // Act
    ended.end();
    discarded.discard();
    for (const s of [...ending.sent, ...aborting.sent]) s.done();

    // Assess
    expect(packetsOf(ending.sent).map((p) => p.payload)).toEqual(['ab', 'c']);
    expect(packetsOf(aborting.sent).map((p) => p.payload)).toEqual(['ab']);
    await expect(ended.write([Buffer.from('d')])).rejects.toThrow(/already ended/);
    await expect(discarded.write([Buffer.from('d')])).rejects.toThrow(/aborted/);
  });

  it('sends nothing more from a write that waited for a buffer when the load is aborted', async () => {
    // Prepare: one buffer, on the socket
    const { conn, sent } = slowConnection();
    const packets = new LoadPackets(conn, new Promise(() => {}), 1, 4);
    const writing = packets.write([Buffer.from('abcdefgh')]);
    expect(await settled(writing)).toBe(false);

    // Act: aborted, then the socket frees the buffer
    packets.discard();
    sent[0]?.done();

    // Assess
    await expect(writing).rejects.toThrow(/aborted/);
    expect(packetsOf(sent).map((p) => p.payload)).toEqual(['abcd']);
  });

  it('refills a buffer only after the socket wrote it, waiting meanwhile', async () => {
    // Prepare: two buffers of 4 bytes, a socket that writes nothing until told
    const { conn, sent } = slowConnection();
    const packets = new LoadPackets(conn, new Promise(() => {}), 2, 4);
    const input = 'abcdefghijklmnopqrst';

    // Act
    const writing = packets.write([Buffer.from(input)]);

    // Assess: both buffers on the socket, and the rest waits
    expect(await settled(writing)).toBe(false);
    expect(sent).toHaveLength(2);
    for (let i = 0; sent.length < 5; i++) {
      const s = sent[i] as Sent;
      // Not overwritten while the socket held it.
      expect(s.view.equals(s.then)).toBe(true);
      s.done();
      await settled(Promise.resolve());
      expect(sent.length).toBeLessThanOrEqual(i + 3);
    }
    for (const s of sent.slice(3)) s.done();
    await writing;
    expect(packetsOf(sent).map((p) => p.payload).join('')).toBe(input);
  });

  it('stops waiting with the load error once the server ends the load', async () => {
    // Prepare
    const { conn } = slowConnection();
    let fail: (err: Error) => void = () => {};
    const done = new Promise<never>((_, reject) => (fail = reject));
    const packets = new LoadPackets(conn, done, 1, 4);

    // Act: the second packet waits for the only buffer, then the load fails
    const writing = packets.write([Buffer.from('abcdefgh')]);
    expect(await settled(writing)).toBe(false);
    fail(new Error('connection lost'));

    // Assess
    await expect(writing).rejects.toThrow('connection lost');
    await expect(packets.write([Buffer.from('x')])).rejects.toThrow('connection lost');
  });
});
