/**
 * The Prettier settings a fix's import lines follow (laazyj/composureCDK runs `prettier --check` with
 * printWidth 100): the nearest `.prettierrc` (JSON or YAML), `.prettierrc.json` or package.json's
 * `prettier` key, read for `printWidth` (Prettier's default, 80, when the file does not set it), `tabWidth` and
 * `trailingComma` (`none` or not; and, for a call's arguments, `all` or not). A shared configuration's
 * name (`"prettier": "@company/prettier-config"`) is not followed: Prettier's defaults stand in for it
 * (printWidth 80, what such configurations mostly keep). Undefined when the project shows no Prettier
 * configuration.
 */
import path from 'node:path';
import type { DiskContext, SourceFile } from '../../core/types.js';

export interface PrettierWidth {
  printWidth: number;
  /** The columns Prettier counts a tab as (`tabWidth`, 2 by default). */
  tabWidth: number;
  trailingComma: boolean;
  /**
   * Whether a multi-line call's last argument takes a comma, when the setting says (`all`: yes; `es5`,
   * `none`: no); undefined when it is not set (Prettier 3 writes one, Prettier 2 none: the file's own calls decide).
   */
  trailingCommaArgs?: boolean;
}

/** Settings written as JSON or as YAML's plain `key: value` lines (what .prettierrc holds in practice). */
function settingsOf(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    // A shared configuration's name (`"@guardian/prettier"`): Prettier formats the file, with settings not read here (its defaults).
    if (typeof v === 'string') return {};
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    const out: Record<string, unknown> = {};
    for (const m of text.matchAll(/^\s*([A-Za-z]+)\s*:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/gm))
      out[m[1]] = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

function widthOf(settings: Record<string, unknown>): PrettierWidth {
  const w = settings.printWidth;
  const tc = settings.trailingComma;
  return {
    printWidth: typeof w === 'number' && w > 0 ? w : 80,
    tabWidth: typeof settings.tabWidth === 'number' && settings.tabWidth > 0 ? settings.tabWidth : 2,
    trailingComma: tc !== 'none',
    ...(tc === 'all' || tc === 'es5' || tc === 'none' ? { trailingCommaArgs: tc === 'all' } : {}),
  };
}

/**
 * The nearest of the three, as Prettier looks folder by folder from the file up (a configuration it
 * cannot be read from here, `prettier.config.js`, is not followed; a shared config's name counts with Prettier's defaults).
 */
export async function prettierWidth(file: SourceFile, context: DiskContext | undefined): Promise<PrettierWidth | undefined> {
  if (!context) return undefined;
  const found: { dir: string; settings: Record<string, unknown> }[] = [];
  // In one folder, package.json's key comes first, as Prettier reads them.
  const pkg = await context.projectFile(file, 'package.json', (f) => f.text.includes('"prettier"'));
  const inPkg = pkg ? settingsOf(pkg.text)?.prettier : undefined;
  if (pkg && inPkg && (typeof inPkg === 'object' || typeof inPkg === 'string'))
    found.push({ dir: path.dirname(pkg.absPath), settings: typeof inPkg === 'string' ? {} : (inPkg as Record<string, unknown>) });
  for (const name of ['.prettierrc', '.prettierrc.json']) {
    const f = await context.projectFile(file, name);
    const s = f && settingsOf(f.text);
    if (f && s) found.push({ dir: path.dirname(f.absPath), settings: s });
  }
  const nearest = found.sort((a, b) => b.dir.length - a.dir.length)[0];
  return nearest && widthOf(nearest.settings);
}
