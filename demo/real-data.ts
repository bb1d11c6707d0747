// The vendored real datasets (datasets/, CC BY 4.0), fetched gzip-compressed from the dev server
// and decompressed in the browser: nothing to prepare on a fresh clone.
export const BANK_FULL = '/datasets/bank_marketing/bank-full.csv.gz';
export const TAIWAN = '/datasets/taiwan_credit_default/UCI_Credit_Card.csv.gz';
export const GERMAN = '/datasets/german_credit/germancredit.csv.gz';

/** Fetch a .gz file and return its text (DecompressionStream, no library). */
export async function fetchGzText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Some servers already decode .gz (content-encoding); gzip data starts with 1f 8b.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return await new Response(stream).text();
}
