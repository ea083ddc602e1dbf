#!/usr/bin/env node
// An independent reader of `openledger export earnings` files, written against the JavaScript Arrow and Parquet
// libraries rather than the grid's own code: it opens an Arrow IPC file (apache-arrow) or a Parquet file (the Rust
// parquet crate through parquet-wasm, its column annotations through hyparquet) and prints the row count, the schema
// and the exact sum of every decimal column as a BigInt.
//   node deploy/scripts/read-earnings.mjs FILE [--json]
import { readFileSync } from 'node:fs';
import { tableFromIPC, Type } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { parquetMetadata } from 'hyparquet';

const args = process.argv.slice(2);
const json = args.includes('--json');
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: read-earnings.mjs FILE [--json]');
  process.exit(2);
}

const bytes = readFileSync(file);
const ascii = (start, end) => bytes.subarray(start, end).toString('latin1');
let format;
let table;
let parquetColumns;
if (ascii(0, 6) === 'ARROW1' && ascii(bytes.length - 6, bytes.length) === 'ARROW1') {
  // The IPC file format (magic at both ends, footer with the batch index), what pyarrow.ipc.open_file expects.
  format = 'arrow-ipc-file';
  table = tableFromIPC(bytes);
} else if (ascii(0, 4) === 'PAR1' && ascii(bytes.length - 4, bytes.length) === 'PAR1') {
  format = 'parquet';
  const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  parquetColumns = metadata.schema.slice(1).map((c) => ({
    name: c.name,
    physical: c.type,
    length: c.type_length ?? null,
    logical: c.logical_type?.type ?? c.converted_type ?? null,
    precision: c.precision ?? null,
    scale: c.scale ?? null,
    repetition: c.repetition_type,
  }));
  table = tableFromIPC(readParquet(new Uint8Array(bytes)).intoIPCStream());
} else {
  console.error(`${file} is neither an Arrow IPC file nor a Parquet file`);
  process.exit(2);
}

// A decimal128 value is four little-endian 32-bit words of one two's-complement integer.
const TWO_TO_32 = 1n << 32n;
function decimalSum(vector) {
  let sum = 0n;
  let nulls = 0;
  for (const data of vector.data) {
    for (let i = 0; i < data.length; i++) {
      if (!data.getValid(i)) {
        nulls++;
        continue;
      }
      const at = (data.offset + i) * 4;
      const w = data.values;
      const word = BigInt(w[at]) + BigInt(w[at + 1]) * TWO_TO_32 + BigInt(w[at + 2]) * TWO_TO_32 ** 2n + BigInt(w[at + 3]) * TWO_TO_32 ** 3n;
      sum += BigInt.asIntN(128, word);
    }
  }
  return { sum, nulls };
}

const schema = table.schema.fields.map((f) => ({
  name: f.name,
  type: String(f.type),
  nullable: f.nullable,
  ...(f.typeId === Type.Decimal ? { precision: f.type.precision, scale: f.type.scale, bitWidth: f.type.bitWidth } : {}),
}));
const sums = {};
const nulls = {};
for (const f of table.schema.fields) {
  if (f.typeId === Type.Decimal) {
    const { sum, nulls: n } = decimalSum(table.getChild(f.name));
    sums[f.name] = sum.toString();
    nulls[f.name] = n;
  }
}
const report = {
  file,
  format,
  rows: table.numRows,
  schema,
  metadata: Object.fromEntries(table.schema.metadata),
  sums,
  nulls,
  ...(parquetColumns ? { parquetColumns } : {}),
};

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`${file}: ${format}, ${report.rows} rows`);
  for (const f of schema) {
    console.log(`  ${f.name.padEnd(16)} ${f.type}${f.nullable ? ' (nullable)' : ''}`);
  }
  for (const [name, sum] of Object.entries(sums)) {
    console.log(`  sum(${name}) = ${sum} wei`);
  }
}
