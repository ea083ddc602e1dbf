// How the dashboard writes amounts, hashes, shares and times. Wei stay BigInt from the API's decimal strings to the
// screen, so nothing is rounded through a float on the way.

const weiPerOpen = 10n ** 18n;

/** A decimal wei string as OPEN with up to `digits` decimals: "1.2345 OPEN". */
export function open(wei, digits = 6) {
  if (wei === null || wei === undefined || wei === '') {
    return '–';
  }
  const value = BigInt(wei);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / weiPerOpen;
  let fraction = (abs % weiPerOpen).toString().padStart(18, '0').slice(0, digits).replace(/0+$/, '');
  if (fraction === '' && abs % weiPerOpen !== 0n && whole === 0n) {
    return (negative ? '-' : '') + '<0.' + '0'.repeat(digits - 1) + '1 OPEN';
  }
  return (negative ? '-' : '') + whole.toLocaleString('en-US') + (fraction ? '.' + fraction : '') + ' OPEN';
}

/** A decimal wei string as a float number of OPEN, for charts only. */
export function openNumber(wei) {
  const value = BigInt(wei || '0');
  return Number(value / 10n ** 9n) / 1e9;
}

/** 0x1234…abcd */
export function short(hex, keep = 6) {
  if (!hex) {
    return '–';
  }
  return hex.length <= 2 * keep + 3 ? hex : hex.slice(0, keep + 2) + '…' + hex.slice(-keep);
}

/** Parts per billion as a percentage. */
export function share(ppb) {
  return (ppb / 1e7).toFixed(2) + '%';
}

/** A count with thousands separators. */
export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

/** A number with `digits` decimals. */
export function fixed(n, digits = 2) {
  return n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toFixed(digits);
}

/** Bytes as KB/MB/GB. */
export function bytes(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = Number(n);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
}

/** A time as "12:34:56" today, or a date and time. */
export function time(iso) {
  if (!iso) {
    return '–';
  }
  const date = new Date(iso);
  const today = new Date();
  return date.toDateString() === today.toDateString() ? date.toLocaleTimeString('en-GB') : date.toLocaleString('en-GB');
}
