import { SeededRng } from '@adapters/train';
import {
  BRANDS,
  COLORS,
  COMMON_ASPECTS,
  CONTEXT_SENTENCES,
  DAYS,
  DESCRIPTION_SENTENCES,
  INTENSIFIERS,
  NEGATIVE_ADJECTIVES,
  NEGATIVE_VERDICTS,
  NEUTRAL_ADJECTIVES,
  NUMBERS,
  PERIODS,
  PLACES,
  POSITIVE_ADJECTIVES,
  POSITIVE_VERDICTS,
  PRODUCTS,
  RELATIVES,
  WHEN,
} from './lexicon';

/** A labelled review: 1 = positive, 0 = negative. */
export interface Review {
  text: string;
  label: 0 | 1;
}

const pick = <T>(rng: SeededRng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const chance = (rng: SeededRng, p: number): boolean => rng.next() < p;

interface Product {
  noun: string;
  aspects: string[];
  brand: string;
}

function product(rng: SeededRng): Product {
  const cat = pick(rng, Object.values(PRODUCTS));
  return { noun: pick(rng, cat.nouns), aspects: [...cat.aspects, ...COMMON_ASPECTS], brand: pick(rng, BRANDS) };
}

/** Fills `{slot}` placeholders. */
function fill(rng: SeededRng, template: string, p: Product): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => {
    switch (slot) {
      case 'noun':
        return p.noun;
      case 'noun2':
        return product(rng).noun;
      case 'brand':
        return p.brand;
      case 'aspect':
        return pick(rng, p.aspects);
      case 'neutral':
        return pick(rng, NEUTRAL_ADJECTIVES);
      case 'relative':
        return pick(rng, RELATIVES);
      case 'when':
        return pick(rng, WHEN);
      case 'day':
        return pick(rng, DAYS);
      case 'number':
        return pick(rng, NUMBERS);
      case 'period':
        return pick(rng, PERIODS);
      case 'color':
      case 'color2':
        return pick(rng, COLORS);
      case 'place':
        return pick(rng, PLACES);
      default:
        throw new Error(`unknown slot {${slot}}`);
    }
  });
}

/** Aspects that take a plural verb. */
const PLURAL = new Set(['ear cushions', 'blades', 'buttons', 'straps', 'poles', 'brakes', 'gears', 'pockets', 'laces', 'pieces', 'instructions', 'colors', 'rules', 'wheels', 'headphones']);
const be = (aspect: string): string => (PLURAL.has(aspect) ? 'are' : 'is');
const verb = (aspect: string, v: string): string => (PLURAL.has(aspect) ? v : `${v}s`);

const adjectives = (positive: boolean): readonly string[] => (positive ? POSITIVE_ADJECTIVES : NEGATIVE_ADJECTIVES);

/** One opinion about `aspect` with polarity `positive`; sometimes phrased as a negated opposite. */
function opinion(rng: SeededRng, aspect: string, positive: boolean): string {
  if (chance(rng, 0.2)) {
    const opp = pick(rng, adjectives(!positive));
    return pick(rng, [
      `the ${aspect} ${be(aspect)} not ${opp}.`,
      `the ${aspect} ${be(aspect)} not ${opp} at all.`,
      `i would not call the ${aspect} ${opp}.`,
      `there is nothing ${opp} about the ${aspect}.`,
    ]);
  }
  const adj = pick(rng, adjectives(positive));
  const int = chance(rng, 0.4) ? `${pick(rng, INTENSIFIERS)} ` : '';
  return pick(rng, [
    `the ${aspect} ${be(aspect)} ${int}${adj}.`,
    `the ${aspect} ${verb(aspect, 'feel')} ${int}${adj}.`,
    `i found the ${aspect} ${int}${adj}.`,
    `the ${aspect} ${verb(aspect, 'seem')} ${adj} to me.`,
    `${adj} ${aspect}.`,
    `the ${aspect} turned out ${int}${adj}.`,
  ]);
}

/** A contrast sentence: a minor opposite opinion, then the main one. */
function contrast(rng: SeededRng, minor: string, main: string, positive: boolean): string {
  const a = pick(rng, adjectives(!positive));
  const b = pick(rng, adjectives(positive));
  const templates = [
    `the ${minor} ${be(minor)} ${a}, but the ${main} ${be(main)} ${b}.`,
    `although the ${minor} ${be(minor)} ${a}, the ${main} ${be(main)} ${b}.`,
  ];
  // "a bit" only softens a negative remark
  if (positive) templates.push(`the ${minor} ${be(minor)} a bit ${a}, however the ${main} ${be(main)} ${b}.`);
  return pick(rng, templates);
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A product review of random polarity: an optional context sentence, one or two opinions of the
 * review's polarity (one in five phrased as a negated opposite, e.g. "the lid is not flimsy"),
 * sometimes a contrast with a minor opposite opinion, and often a verdict. The label is the
 * polarity; every review has more evidence for it than against it.
 */
export function generateReview(rng: SeededRng): Review {
  const positive = chance(rng, 0.5);
  const p = product(rng);
  const aspects = p.aspects;
  const used = new Set<string>();
  const aspect = (): string => {
    for (let i = 0; i < 20; i++) {
      const a = pick(rng, aspects);
      if (!used.has(a)) {
        used.add(a);
        return a;
      }
    }
    return pick(rng, aspects);
  };
  const sentences: string[] = [];
  if (chance(rng, 0.7)) sentences.push(fill(rng, pick(rng, CONTEXT_SENTENCES), p));
  const opinions = 1 + rng.int(2);
  for (let i = 0; i < opinions; i++) sentences.push(opinion(rng, aspect(), positive));
  if (chance(rng, 0.35)) sentences.splice(1 + rng.int(sentences.length), 0, contrast(rng, aspect(), aspect(), positive));
  if (chance(rng, 0.6)) sentences.push(fill(rng, pick(rng, positive ? POSITIVE_VERDICTS : NEGATIVE_VERDICTS), p));
  return { text: sentences.map(capitalize).join(' '), label: positive ? 1 : 0 };
}

/** An unlabelled description sentence (pretraining corpus). */
export function generateDescription(rng: SeededRng): string {
  const p = product(rng);
  const n = 1 + rng.int(2);
  return Array.from({ length: n }, () => capitalize(fill(rng, pick(rng, DESCRIPTION_SENTENCES), p))).join(' ');
}

/** Distinct reviews, none of whose texts is in `exclude`. */
export function generateReviews(n: number, seed: number, exclude: ReadonlySet<string> = new Set()): Review[] {
  const rng = new SeededRng(seed);
  const seen = new Set(exclude);
  const out: Review[] = [];
  while (out.length < n) {
    const r = generateReview(rng);
    if (seen.has(r.text)) continue;
    seen.add(r.text);
    out.push(r);
  }
  return out;
}

/** The pretraining corpus: unlabelled reviews and descriptions, one text per line. */
export function generateCorpus(n: number, seed: number): string[] {
  const rng = new SeededRng(seed);
  return Array.from({ length: n }, () => (chance(rng, 0.6) ? generateReview(rng).text : generateDescription(rng)));
}
