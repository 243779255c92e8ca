/** Where a command's text goes: stdout, or a file named by -o (with a line on stderr saying so). */
import { writeTextFile } from '../files/write.ts';

export async function emit(text: string, output: string | null): Promise<void> {
  if (output === null) process.stdout.write(text);
  else {
    await writeTextFile(output, text);
    console.error(`Wrote ${output}`);
  }
}

export function render(json: unknown, markdown: string, format: 'markdown' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(json, null, 2)}\n` : markdown;
}
