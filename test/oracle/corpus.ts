// The committed oracle corpus and its manifest (fixtures/oracle/corpus, made by generate.py).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR } from './tools.js';

export interface ManifestFrame {
  frame: number;
  what: string;
  interface?: number;
  comment?: string | null;
}

export interface ManifestEntry {
  format: 'pcap' | 'pcapng';
  link_types: number[];
  covers: string[];
  frames: ManifestFrame[];
  ts_resolution?: 'us' | 'ns';
  byte_order?: 'little' | 'big';
  writer?: string;
}

export interface Manifest {
  generator: string;
  scapy: string;
  files: Record<string, ManifestEntry>;
}

export function loadManifest(dir = CORPUS_DIR): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

export const corpusFile = (name: string, dir = CORPUS_DIR): string => join(dir, name);

/** "1700000000.123456789": the decimal form tshark (and `dpconform inspect`) print. */
export function epochString(ns: bigint): string {
  const sec = ns / 1_000_000_000n;
  const frac = ns % 1_000_000_000n;
  return `${sec}.${frac.toString().padStart(9, '0')}`;
}
