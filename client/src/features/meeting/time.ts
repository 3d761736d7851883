/** "21:05" in the phone's own clock: the people reading it stand in the same room. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
