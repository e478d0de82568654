/**
 * Hand-written stand-ins for the SST v3 globals the fixtures' sst.config.ts uses (`$config`, and `$app` a step names);
 * names and types follow SST's platform/src/config.ts and global.d.ts.
 */
interface SstAppInput {
  stage: string;
}
interface SstApp {
  name: string;
  removal?: 'remove' | 'retain' | 'retain-all';
  home: 'aws' | 'cloudflare' | 'local';
}
declare function $config(input: { app(input: SstAppInput): SstApp; run(): Promise<unknown> }): unknown;
declare const $app: { name: string; stage: string; removal: 'remove' | 'retain' | 'retain-all' };
