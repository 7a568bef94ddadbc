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

/** True when a stream is a terminal and the user has not asked for no colour (https://no-color.org). */
export function shouldColor(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR;
}
