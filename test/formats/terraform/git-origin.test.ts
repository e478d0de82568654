/**
 * This repository as a terragrunt unit's git source names it (gitOrigin.ts): the work tree's `origin` read from its
 * git config, and go-getter's git addresses compared with it (ssh or https, `.git` or not, the host's case).
 */
import { describe, expect, it } from 'vitest';
import { gitRef, gitSource, originUrl, repoOf } from '../../../src/formats/terraform/gitOrigin.js';

describe('repoOf', () => {
  it.each([
    'git@github.com:acme/infra.git',
    'git@GitHub.com:Acme/infra',
    'https://github.com/acme/infra.git',
    'https://user@github.com/acme/infra/',
    'ssh://git@github.com:22/acme/infra.git',
    'github.com/acme/infra',
  ])('%s is github.com/acme/infra', (url) => {
    expect(repoOf(url)).toBe('github.com/acme/infra');
  });

  it('another host or path differs; what is no address is none', () => {
    expect(repoOf('git@gitlab.com:acme/infra.git')).toBe('gitlab.com/acme/infra');
    expect(repoOf('https://github.com/acme/infra-live')).toBe('github.com/acme/infra-live');
    expect(repoOf('../modules')).toBeUndefined();
  });
});

describe('gitSource', () => {
  it('reads go-getter git forms: the repository, the folder after //, the ref', () => {
    expect(gitSource('git::git@github.com:acme/infra.git//modules/ddb?ref=v1.0.0')).toEqual({
      repo: 'github.com/acme/infra',
      subdir: 'modules/ddb',
      ref: 'v1.0.0',
    });
    expect(gitSource('git::https://github.com/acme/infra.git//modules/ddb/?depth=1&ref=release%2F2')).toEqual({
      repo: 'github.com/acme/infra',
      subdir: 'modules/ddb',
      ref: 'release/2',
    });
    expect(gitSource('git::ssh://git@github.com/acme/infra.git//modules/ddb')).toMatchObject({ subdir: 'modules/ddb', ref: undefined });
    expect(gitSource('git@github.com:acme/infra.git//modules/ddb?ref=v1')).toMatchObject({ repo: 'github.com/acme/infra', ref: 'v1' });
    expect(gitSource('github.com/acme/infra//modules/ddb?ref=${local.v}')).toMatchObject({ subdir: 'modules/ddb', ref: '${local.v}' });
    expect(gitSource('git::https://github.com/acme/infra.git?ref=v1')).toMatchObject({ subdir: '.' });
  });

  it('the query before the folder reads as after it, as go-getter reads it; with several origin urls, the first (adversarial pass of session 56, L2, L3)', () => {
    expect(gitSource('git::https://github.com/acme/infra.git?ref=v1.0.0//modules/db')).toMatchObject({
      subdir: 'modules/db',
      ref: 'v1.0.0',
    });
    // The same reading, whatever the repository (a registry module call's pin, moduleVersion.ts).
    expect(gitRef('git::https://${local.host}/y.git?ref=v1.2.0//modules/x')).toBe('v1.2.0');
    expect(gitRef('tfr:///cloudposse/dynamodb/aws?ref=v1')).toBeUndefined();
    expect(originUrl('[remote "origin"]\n\turl = git@github.com:acme/infra.git\n\turl = git@gitlab.com:acme/mirror.git\n')).toBe(
      'git@github.com:acme/infra.git',
    );
  });

  it('a local, registry or HTTP source, or a repository or folder that is not literal, is none', () => {
    for (const s of [
      '../../modules//ddb',
      'tfr:///terraform-aws-modules/dynamodb-table/aws?version=4.0.0',
      'https://example.com/infra.zip//modules/ddb',
      'git::git@github.com:acme/${local.repo}.git//modules/ddb',
      'git::git@github.com:acme/infra.git//${local.m}',
    ])
      expect(gitSource(s), s).toBeUndefined();
  });
});

describe('originUrl', () => {
  it('reads [remote "origin"]\'s url, not another remote\'s', () => {
    const config =
      '[core]\n\tbare = false\n[remote "upstream"]\n\turl = git@github.com:up/infra.git\n[remote "origin"]\n\turl = git@github.com:acme/infra.git ; mine\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n';
    expect(originUrl(config)).toBe('git@github.com:acme/infra.git');
    expect(originUrl('[core]\n\tbare = false\n')).toBeUndefined();
  });
});
