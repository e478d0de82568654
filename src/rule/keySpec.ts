/**
 * Keys DynamoDB cannot use. DynamoDB encrypts tables only with symmetric encryption KMS keys (key spec
 * SYMMETRIC_DEFAULT, key usage ENCRYPT_DECRYPT: AWS KMS Developer Guide, "How Amazon DynamoDB uses AWS KMS";
 * DynamoDB Developer Guide, "Encryption at rest: how it works"); a table whose key is an asymmetric or HMAC key
 * (RSA_2048, ECC_NIST_P256, HMAC_256, SIGN_VERIFY, GENERATE_VERIFY_MAC...) is refused at deploy: a new table is
 * not created, an update fails and rolls back, the table keeps the key it had. Where a format reads the key a
 * table names as a key of the same file with such a spec or usage written literally, it says so on the key
 * setting (Setting.unusable) and src/rule/cmk.ts reads the key as none DynamoDB uses: never fixed (the step
 * says to make the key symmetric), never compliant.
 */
import type { Branches, EncryptionFacts, Setting, Settings } from './facts.js';

/** The values DynamoDB takes: anything else written for a key's spec or usage is a key it refuses. */
const SPEC_OK = 'SYMMETRIC_DEFAULT';
const USAGE_OK = 'ENCRYPT_DECRYPT';

/** A spec or usage value written literally (an enum member's name: `RSA_2048`, `SIGN_VERIFY`), else undefined. */
export function kindValue(v: string | undefined): string | undefined {
  return v !== undefined && /^[A-Z][A-Z0-9_]*$/.test(v) ? v : undefined;
}

/** A key's spec and usage as the format names them, and their literal values (undefined: not written, or not a literal). */
export interface KeyKind {
  /** The key as the format names it (`AWS::KMS::Key AsymKey`, `aws_kms_key.signing`, `new kms.Key(this, 'Asym')`). */
  key: string;
  spec?: { name: string; value: string };
  usage?: { name: string; value: string };
}

/** What makes the key unusable for a table, in the format's words; undefined when it is (or may be) a symmetric encryption key. */
export interface Unusable {
  /** The key as the format names it. */
  key: string;
  /** The spec and usage that DynamoDB refuses, as written (`KeySpec: RSA_2048`, `customer_master_key_spec = "HMAC_256"`). */
  written: string;
  /** The settings to change (`KeySpec and KeyUsage`). */
  names: string;
  /** The symmetric values, named as the format names them. */
  symmetric: string;
}

/**
 * The key's kind, when what is written makes it one DynamoDB refuses. `word`: how the format writes a
 * setting with its value (`KeySpec: RSA_2048`); `value`: how it writes a value (`kms.KeySpec.SYMMETRIC_DEFAULT`).
 */
export function unusableKey(
  k: KeyKind,
  word: (name: string, value: string) => string,
  value: (name: string, v: string) => string = (_, v) => v,
): Unusable | undefined {
  const bad = [k.spec && k.spec.value !== SPEC_OK ? k.spec : undefined, k.usage && k.usage.value !== USAGE_OK ? k.usage : undefined];
  const written = bad.flatMap((s) => (s ? [word(s.name, s.value)] : []));
  if (written.length === 0) return undefined;
  const names = bad.flatMap((s) => (s ? [s.name] : []));
  const symmetric = bad.flatMap((s, i) => (s ? [value(s.name, i === 0 ? SPEC_OK : USAGE_OK)] : []));
  return { key: k.key, written: written.join(', '), names: names.join(' and '), symmetric: symmetric.join(' and ') };
}

/** The key setting with what makes its key unusable, when `of` finds it so. */
function marked(s: Setting | undefined, of: (key: Setting) => Unusable | undefined): Setting | undefined {
  if (!s || s.state === 'absent' || s.state === 'unreadable') return s;
  const u = of(s);
  return u ? { ...s, unusable: u } : s;
}

function markSettings(s: Settings, of: (key: Setting) => Unusable | undefined): Settings {
  if (s.model === 'unreadable') return s;
  const key = marked(s.key, of);
  // A choice that is its key (TableV2's `TableEncryptionV2.customerManagedKey(k)`): the choice is marked.
  if (s.model === 'choice' && (!s.key || s.key.state === 'absent') && s.choice.means === 'customer-managed' && !s.branches) {
    const choice = marked(s.choice, of);
    if (choice !== s.choice) return { ...s, choice: choice! };
  }
  const settings = s.branches?.settings.map((b) => markSettings(b, of));
  const branchChanged = settings?.some((b, i) => b !== s.branches!.settings[i]);
  if (key === s.key && !branchChanged) return s;
  const out = { ...s, key };
  if (branchChanged) out.branches = { ...(s.branches as Branches), settings: settings! };
  return out as Settings;
}

/**
 * Marks each key setting of a table (its own, each choice's, each replica's) whose key `of` finds
 * unusable (a key of the same file with an asymmetric or HMAC spec, or a usage other than ENCRYPT_DECRYPT).
 */
export function markUnusableKeys(f: EncryptionFacts, of: (key: Setting) => Unusable | undefined): void {
  f.settings = markSettings(f.settings, of);
  const items = f.replicas?.items.map((r) => {
    const key = marked(r.key, of) ?? r.key;
    return key === r.key ? r : { ...r, key };
  });
  if (f.replicas && items!.some((r, i) => r !== f.replicas!.items[i])) f.replicas = { ...f.replicas, items: items! };
}
