/**
 * The Prettier settings a fix's code follows (laazyj/composureCDK runs `prettier --check` with printWidth
 * 100): the nearest configuration (prettierWidth), read for `printWidth` (Prettier's default, 80, when it
 * does not set it), `tabWidth` and `trailingComma` (`none` or not; and, for a call's arguments, `all` or
 * not). A shared configuration's name (`"prettier": "@company/prettier-config"`) is not followed:
 * Prettier's defaults stand in for it (printWidth 80, what such configurations mostly keep). Undefined
 * when the project shows no sign of Prettier.
 */
import path from 'node:path';
import type * as Jsonc from 'jsonc-parser';
import { lazyRequire } from '../../core/lazy.js';
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

/** The settings a fix follows, as a configuration file of any kind may write them. */
const KEYS = ['printWidth', 'tabWidth', 'trailingComma', 'useTabs', 'semi'];

/**
 * Settings written as JSON, or read from the file's text: YAML's `key: value`, TOML's `key = value`, and a
 * JavaScript, TypeScript or JSON5 configuration's `printWidth: 100` (`script`: such a file, which is Prettier's
 * configuration whatever it holds: the settings not read are Prettier's defaults).
 */
function settingsOf(text: string, script = false): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    // A shared configuration's name (`"@guardian/prettier"`): Prettier formats the file, with settings not read here (its defaults).
    if (typeof v === 'string') return {};
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    const out: Record<string, unknown> = {};
    const line = script
      ? /\b([A-Za-z]+)['"]?\s*:\s*["']?([\w.-]+)["']?/g
      : /^\s*["']?([A-Za-z]+)["']?\s*[:=]\s*["']?([^"'\s#,]+)["']?\s*,?\s*(#.*)?$/gm;
    let settings = 0;
    for (const m of text.matchAll(line)) {
      settings++;
      if (KEYS.includes(m[1])) out[m[1]] = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
    }
    // Any setting makes it a configuration (`singleQuote: true` alone: Prettier's defaults for the width).
    return settings > 0 || script ? out : undefined;
  }
}

/** Prettier's configuration files, in the order it reads them in one folder (package.json's key first, apart). */
const CONFIG_FILES = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.json5',
  '.prettierrc.js',
  '.prettierrc.ts',
  '.prettierrc.mjs',
  '.prettierrc.mts',
  '.prettierrc.cjs',
  '.prettierrc.cts',
  'prettier.config.js',
  'prettier.config.ts',
  'prettier.config.mjs',
  'prettier.config.mts',
  'prettier.config.cjs',
  'prettier.config.cts',
  '.prettierrc.toml',
];

/** oxfmt's configuration files (Prettier's settings; printWidth 100 by default). */
const OXFMT_FILES = ['.oxfmtrc.json', '.oxfmtrc.jsonc', 'oxfmt.config.ts'];
/** Biome's. */
const BIOME_FILES = ['biome.json', 'biome.jsonc'];
/** dprint's. */
const DPRINT_FILES = ['dprint.json', '.dprint.json', 'dprint.jsonc', '.dprint.jsonc'];

// Loaded only for a project with a JSONC configuration (Biome's, oxfmt's, dprint's), as tree.ts loads it for templates.
const jsonc = lazyRequire<typeof Jsonc>('jsonc-parser');

/** A JSONC configuration (comments, trailing commas) as an object; undefined when it is not one. */
function jsoncObject(text: string): Record<string, unknown> | undefined {
  const errors: Jsonc.ParseError[] = [];
  const v = jsonc().parse(text, errors, { allowTrailingComma: true }) as unknown;
  return errors.length === 0 && v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * A Biome configuration as Prettier settings: its JavaScript formatter's line width, indent width and trailing
 * commas (`all` by default, as Prettier 3's); undefined when it formats no JavaScript (`formatter.enabled: false`)
 * or cannot be read.
 */
function biomeSettings(text: string): Record<string, unknown> | undefined {
  const v = jsoncObject(text) as { formatter?: Record<string, unknown>; javascript?: { formatter?: Record<string, unknown> } } | undefined;
  if (!v) return undefined;
  const general = v.formatter ?? {};
  const js = v?.javascript?.formatter ?? {};
  if (general.enabled === false || js.enabled === false) return undefined;
  return {
    printWidth: js.lineWidth ?? general.lineWidth ?? 80,
    tabWidth: js.indentWidth ?? general.indentWidth ?? 2,
    trailingComma: js.trailingCommas ?? 'all',
  };
}

/**
 * A dprint configuration as Prettier settings, when its plugins format TypeScript: the `typescript` section's or
 * the global line width (120 by default), indent width (4) and trailing commas (`onlyMultiLine` by default: a
 * multi-line list ends with one, as Prettier's `all`; `never`: none); undefined otherwise.
 */
function dprintSettings(text: string): Record<string, unknown> | undefined {
  const v = jsoncObject(text) as { plugins?: unknown; typescript?: Record<string, unknown> } & Record<string, unknown>;
  if (!v || !(Array.isArray(v.plugins) && v.plugins.some((p) => typeof p === 'string' && /typescript/.test(p)))) return undefined;
  const ts = v.typescript ?? {};
  return {
    printWidth: ts.lineWidth ?? v.lineWidth ?? 120,
    tabWidth: ts.indentWidth ?? v.indentWidth ?? 4,
    trailingComma: (ts.trailingCommas ?? v.trailingCommas) === 'never' ? 'none' : 'all',
  };
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
 * The nearest configuration, as Prettier looks folder by folder from the file up: package.json's `prettier`
 * key, `.prettierrc` (JSON or YAML), `.prettierrc.json`, `.yaml`, `.yml`, `.json5`, `.toml`, and the JavaScript and
 * TypeScript ones (`prettier.config.mjs`: settings read from their text where written as `printWidth: 100`,
 * Prettier's defaults for the rest; a shared config's name counts with Prettier's defaults). With none, a
 * package.json that lists `prettier` (a dependency, no configuration: Prettier's defaults). oxfmt's, Biome's and
 * dprint's configurations count as Prettier's, in the settings they write (a width, trailing commas).
 */
export async function prettierWidth(file: SourceFile, context: DiskContext | undefined): Promise<PrettierWidth | undefined> {
  if (!context) return undefined;
  const found: { dir: string; settings: Record<string, unknown> }[] = [];
  // In one folder, package.json's key comes first, as Prettier reads them.
  const pkg = await context.projectFile(file, 'package.json', (f) => f.text.includes('"prettier"'));
  const inPkg = pkg ? settingsOf(pkg.text)?.prettier : undefined;
  if (pkg && inPkg && (typeof inPkg === 'object' || typeof inPkg === 'string'))
    found.push({ dir: path.dirname(pkg.absPath), settings: typeof inPkg === 'string' ? {} : (inPkg as Record<string, unknown>) });
  for (const name of CONFIG_FILES) {
    const f = await context.projectFile(file, name);
    const s = f && settingsOf(f.text, /\.(?:json5|[cm]?[jt]s)$/.test(name));
    if (f && s) found.push({ dir: path.dirname(f.absPath), settings: s });
  }
  // Formatters that lay code out as Prettier does, with settings of their own: oxfmt (Prettier's keys, printWidth 100
  // by default), Biome (`formatter.lineWidth`, `javascript.formatter.trailingCommas`), and dprint's line width (its
  // layout keeps more of the file's own line breaks; what kmsfix inserts follows the file's).
  for (const name of OXFMT_FILES) {
    const f = await context.projectFile(file, name);
    const s = f && (name.endsWith('.ts') ? settingsOf(f.text, true) : (jsoncObject(f.text) ?? settingsOf(f.text)));
    if (f && s) found.push({ dir: path.dirname(f.absPath), settings: { printWidth: 100, ...s } });
  }
  for (const name of BIOME_FILES) {
    const f = await context.projectFile(file, name);
    const s = f && biomeSettings(f.text);
    if (f && s) found.push({ dir: path.dirname(f.absPath), settings: s });
  }
  for (const name of DPRINT_FILES) {
    const f = await context.projectFile(file, name);
    const s = f && dprintSettings(f.text);
    if (f && s) found.push({ dir: path.dirname(f.absPath), settings: s });
  }
  // The nearest folder's first, as Prettier reads them (a stable sort keeps the order above within a folder).
  const nearest = found.sort((a, b) => b.dir.length - a.dir.length)[0];
  if (nearest) return widthOf(nearest.settings);
  // No configuration, and Prettier among the project's packages: it formats with its defaults.
  const installed = await context.projectFile(file, 'package.json', (f) => /"prettier"\s*:\s*"/.test(f.text));
  return installed ? widthOf({}) : undefined;
}
