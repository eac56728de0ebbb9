// The client's XML reader alone: milliseconds to parse big stanzas of several shapes, cut into packets.
//   npx tsx --conditions=@reguser/source bench/reader.ts [--runs 5] [--json]
// Prints the median of --runs for each case (after one warm-up), so a change to the reader can be compared.
import { parseArgs } from "node:util";
import { XmlReader } from "@reguser/protocol";

const KiB = 1024;
const MiB = 1024 * KiB;
const HEADER = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

interface Case {
  name: string;
  /** The bytes after the header, and the packet size they arrive in. */
  bytes: () => Buffer;
  packet: number;
  /** What a complete parse yields: stanzas, or "limit" for a stanza the cap refuses. */
  expect: number | "limit";
  maxStanzaBytes?: number;
}

const repeat = (unit: string, bytes: number) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
const message = (body: string) => Buffer.from(`<message><body>${body}</body></message>`);

const CASES: Case[] = [
  {
    name: "1 MiB text with entities, 64 KiB packets",
    bytes: () => message(repeat("a&amp;b&lt;c ", MiB)),
    packet: 64 * KiB,
    expect: 1,
  },
  {
    name: "4 MiB text with entities, 64 KiB packets",
    bytes: () => message(repeat("a&amp;b&lt;c ", 4 * MiB)),
    packet: 64 * KiB,
    expect: 1,
  },
  {
    name: "1 MiB text with '>' every 40 bytes, 64 KiB packets",
    bytes: () => message(repeat(`${"q".repeat(39)}>`, MiB)),
    packet: 64 * KiB,
    expect: 1,
  },
  {
    name: "1 MiB attribute, 16-byte packets",
    bytes: () => Buffer.from(`<iq id='${"q".repeat(MiB)}'/>`),
    packet: 16,
    expect: 1,
  },
  {
    name: "1 MiB of 40,000 small elements in one stanza, 1 KiB packets",
    bytes: () =>
      Buffer.from(`<iq type='result' id='r'><query>${"<item jid='a@b' name='x'/>".repeat(40_000)}</query></iq>`),
    packet: KiB,
    expect: 1,
  },
  {
    name: "100,000 small stanzas, 64 KiB packets",
    bytes: () => Buffer.from("<iq type='result' id='abc123'/>".repeat(100_000)),
    packet: 64 * KiB,
    expect: 100_000,
  },
  {
    name: "an oversized 2 MiB stanza against a 1 MiB cap, 64 KiB packets",
    bytes: () => message(repeat("z", 2 * MiB)),
    packet: 64 * KiB,
    expect: "limit",
    maxStanzaBytes: MiB,
  },
];

/** One parse of a case: the time from the first packet to the last stanza (or the cap's refusal). */
async function parseOnce(c: Case, data: Buffer): Promise<number> {
  let stanzas = 0;
  let limited = false;
  const reader = new XmlReader(
    {
      onHeader() {},
      onElement() {
        stanzas++;
      },
      onEnd() {},
      onError(err) {
        if (err.name !== "LimitExceededError") throw err;
        limited = true;
      },
    },
    c.maxStanzaBytes ?? 8 * MiB,
  );
  reader.write(Buffer.from(HEADER));
  const started = performance.now();
  for (let at = 0; at < data.length && !limited; at += c.packet) reader.write(data.subarray(at, at + c.packet));
  reader.flush();
  const ms = performance.now() - started;
  reader.stop();
  const got = limited ? "limit" : stanzas;
  if (got !== c.expect) throw new Error(`${c.name}: expected ${c.expect}, got ${got}`);
  return ms;
}

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, json: { type: "boolean" } } });
const runs = Math.max(1, Number(values.runs));
const results: { case: string; medianMs: number; mibPerSecond: number }[] = [];
for (const c of CASES) {
  const data = c.bytes();
  await parseOnce(c, data); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await parseOnce(c, data));
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] as number;
  results.push({
    case: c.name,
    medianMs: Math.round(medianMs * 10) / 10,
    mibPerSecond: Math.round(data.length / MiB / (medianMs / 1000)),
  });
}
if (values.json) console.log(JSON.stringify(results));
else
  for (const r of results)
    console.log(`${r.medianMs.toFixed(1).padStart(8)} ms  ${String(r.mibPerSecond).padStart(5)} MiB/s  ${r.case}`);
