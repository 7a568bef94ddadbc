// ANSI styling for terminal reports. Every style is the identity when colour is off, so renderers
// can style unconditionally and stay readable in logs and files.

export type Style = (text: string) => string;

export interface Palette {
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  blue: Style;
  magenta: Style;
  cyan: Style;
}

const ESC = '\u001b[';

function ansi(open: number, close: number): Style {
  return (text) => (text === '' ? text : `${ESC}${open}m${text}${ESC}${close}m`);
}

const identity: Style = (text) => text;

export function palette(color: boolean): Palette {
  if (!color) {
    return {
      bold: identity,
      dim: identity,
      red: identity,
      green: identity,
      yellow: identity,
      blue: identity,
      magenta: identity,
      cyan: identity,
    };
  }
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    red: ansi(31, 39),
    green: ansi(32, 39),
    yellow: ansi(33, 39),
    blue: ansi(34, 39),
    magenta: ansi(35, 39),
    cyan: ansi(36, 39),
  };
}

let colorFlag: boolean | undefined;

/** `--no-color` (false) or `--color` (true) as given on the command line; undefined: not given. */
export function setColorFlag(flag: boolean | undefined): void {
  colorFlag = flag;
}

/**
 * Whether to colour what goes to this stream, first rule that applies: the `--no-color` flag; FORCE_COLOR
 * (set and not 0/false: colour even into a pipe; 0/false: none); NO_COLOR (https://no-color.org);
 * TERM=dumb; otherwise colour on a terminal only.
 */
export function shouldColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (colorFlag !== undefined) return colorFlag;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
