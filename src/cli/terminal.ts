/** Colour on a terminal, unless NO_COLOR is set (https://no-color.org); never when piped. */
export function useColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return Boolean(isTTY) && !env.NO_COLOR;
}
