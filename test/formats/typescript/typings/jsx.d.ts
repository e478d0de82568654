/** The JSX of fixtures/typescript/cdk-stack-tsx, as a project's JSX runtime (@types/react, Preact...) would type it. */
declare namespace JSX {
  type Element = unknown;
  interface IntrinsicElements {
    [name: string]: Record<string, unknown>;
  }
}
