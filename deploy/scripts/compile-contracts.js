#!/usr/bin/env node
// Compiles every .sol file under grains/Chain/contracts with solc-js (standard JSON, evmVersion shanghai, since
// ganache 7.9 rejects newer opcodes) and writes one JSON artifact per contract: { contractName, abi, bytecode }.
// Subfolders are included: bench/ holds the benchmarks' baselines, which the economy never deploys.
// Usage: compile-contracts.js OUT_DIR
const fs = require('fs');
const path = require('path');
const solc = require(path.join(__dirname, '..', 'node_modules', 'solc'));

const root = path.resolve(__dirname, '..', '..');
const sources = path.join(root, 'grains', 'Chain', 'contracts');
const out = path.resolve(process.argv[2] || path.join(root, 'grains', 'Chain', 'artifacts'));
const nodeModules = path.join(root, 'deploy', 'node_modules');

const input = { language: 'Solidity', sources: {}, settings: {
  evmVersion: 'shanghai', optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } } };
// Source names are paths relative to the contracts folder with forward slashes ("FeeVault.sol", "bench/PushPayout.sol").
for (const file of fs.readdirSync(sources, { recursive: true }).map(f => f.split(path.sep).join('/')).filter(f => f.endsWith('.sol')).sort()) {
  input.sources[file] = { content: fs.readFileSync(path.join(sources, file), 'utf8') };
}
// Some OpenZeppelin 5.x files (utils/Bytes.sol, which Strings imports, and SignatureChecker, both reached from
// Governor) call the Cancun MCOPY opcode in inline assembly, which solc refuses for shanghai. Each `mcopy(d, s, n)`
// in an imported file becomes a Yul block with the same effect: whole words forward, then the last partial word
// merged under a mask so no byte past d+n changes. A forward copy is memmove only when the destination is not inside
// the source range above its start; that case (which no reachable OZ call makes) reverts rather than corrupt memory.
function withoutMcopy(source) {
  let out = '';
  let at = 0;
  for (let i = source.indexOf('mcopy('); i >= 0; i = source.indexOf('mcopy(', at)) {
    const args = [];
    let depth = 0;
    let start = i + 'mcopy('.length;
    let j = start;
    for (; ; j++) {
      const c = source[j];
      if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) break;
      else if (c === ',' && depth === 0) { args.push(source.slice(start, j).trim()); start = j + 1; }
    }
    args.push(source.slice(start, j).trim());
    out += source.slice(at, i) +
      `{ let mcopyD := ${args[0]} let mcopyS := ${args[1]} let mcopyN := ${args[2]} let mcopyI := 0 ` +
      'if and(gt(mcopyD, mcopyS), lt(mcopyD, add(mcopyS, mcopyN))) { revert(0, 0) } ' +
      'for {} lt(add(mcopyI, 31), mcopyN) { mcopyI := add(mcopyI, 0x20) } ' +
      '{ mstore(add(mcopyD, mcopyI), mload(add(mcopyS, mcopyI))) } ' +
      'let mcopyR := sub(mcopyN, mcopyI) if mcopyR { let mcopyK := shr(mul(mcopyR, 8), not(0)) ' +
      'let mcopyP := add(mcopyD, mcopyI) ' +
      'mstore(mcopyP, or(and(mload(add(mcopyS, mcopyI)), not(mcopyK)), and(mload(mcopyP), mcopyK))) } }';
    at = j + 1;
  }
  return out + source.slice(at);
}
function findImports(importPath) {
  const candidate = path.join(nodeModules, importPath);
  return fs.existsSync(candidate) ? { contents: withoutMcopy(fs.readFileSync(candidate, 'utf8')) } : { error: `not found: ${importPath}` };
}
const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
const errors = (output.errors || []).filter(e => e.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}
fs.mkdirSync(out, { recursive: true });
for (const [file, contracts] of Object.entries(output.contracts)) {
  for (const [name, contract] of Object.entries(contracts)) {
    if (!contract.evm.bytecode.object) continue; // libraries with only internal functions have no code of their own
    fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify(
      { contractName: name, source: file, abi: contract.abi, bytecode: '0x' + contract.evm.bytecode.object }, null, 2));
  }
}
console.log(`compiled ${Object.keys(input.sources).length} source(s) with solc ${solc.version()} into ${out}`);
