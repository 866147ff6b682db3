/**
 * Word lists of the synthetic product-review corpus. Everything here was written for this project
 * (no external text); brand names are invented.
 */

/** Product categories with their nouns and aspects. */
export const PRODUCTS: Readonly<Record<string, { nouns: readonly string[]; aspects: readonly string[] }>> = {
  audio: { nouns: ['headphones', 'earbuds', 'speaker', 'soundbar', 'radio'], aspects: ['sound', 'bass', 'battery', 'volume', 'bluetooth connection', 'microphone', 'ear cushions', 'charging case'] },
  computer: { nouns: ['laptop', 'tablet', 'keyboard', 'monitor', 'mouse', 'printer', 'router'], aspects: ['screen', 'keyboard', 'battery', 'trackpad', 'fan', 'hinge', 'charger', 'display', 'setup', 'software', 'wifi signal'] },
  phone: { nouns: ['phone', 'smartwatch', 'fitness tracker', 'camera', 'charger'], aspects: ['camera', 'battery', 'screen', 'strap', 'software', 'lens', 'zoom', 'touch screen', 'charging speed'] },
  kitchen: { nouns: ['blender', 'kettle', 'toaster', 'coffee maker', 'frying pan', 'knife set', 'rice cooker', 'mixer'], aspects: ['motor', 'lid', 'handle', 'blades', 'coating', 'heating', 'buttons', 'cleaning', 'temperature control'] },
  home: { nouns: ['lamp', 'vacuum cleaner', 'fan', 'heater', 'air purifier', 'alarm clock', 'desk chair', 'mattress'], aspects: ['suction', 'cord', 'filter', 'noise level', 'remote', 'fabric', 'cushion', 'brightness', 'wheels', 'assembly'] },
  outdoor: { nouns: ['tent', 'backpack', 'sleeping bag', 'water bottle', 'bicycle', 'flashlight', 'camping stove'], aspects: ['zipper', 'straps', 'material', 'poles', 'lid', 'seal', 'brakes', 'gears', 'weight', 'pockets'] },
  clothing: { nouns: ['jacket', 'shoes', 'boots', 'sweater', 'raincoat', 'jeans', 'gloves'], aspects: ['fit', 'fabric', 'stitching', 'sole', 'laces', 'collar', 'color', 'sizing', 'lining', 'hood'] },
  toys: { nouns: ['board game', 'puzzle', 'toy car', 'doll house', 'building set', 'kite'], aspects: ['pieces', 'instructions', 'colors', 'box', 'rules', 'string', 'wheels', 'paint'] },
};

/** Aspects every product has. */
export const COMMON_ASPECTS = ['price', 'quality', 'design', 'packaging', 'delivery', 'customer service', 'build quality', 'size', 'finish', 'warranty'];

/** Invented brand names. */
export const BRANDS = ['zentro', 'kalvik', 'orbis', 'lumora', 'tessel', 'vanta', 'nordby', 'quillon', 'marlow', 'bexa', 'solvik', 'trindle', 'pavor', 'elkin', 'rasmo', 'covella'];

export const POSITIVE_ADJECTIVES = [
  'excellent', 'great', 'superb', 'fantastic', 'solid', 'sturdy', 'reliable', 'comfortable', 'crisp', 'bright', 'quiet', 'smooth',
  'responsive', 'durable', 'impressive', 'gorgeous', 'flawless', 'lovely', 'brilliant', 'outstanding', 'wonderful', 'perfect', 'amazing', 'good',
  'nice', 'fine', 'sleek', 'elegant', 'fast', 'generous',
];

export const NEGATIVE_ADJECTIVES = [
  'terrible', 'awful', 'flimsy', 'weak', 'unreliable', 'uncomfortable', 'dim', 'noisy', 'sluggish', 'fragile', 'disappointing', 'poor',
  'horrible', 'useless', 'cheap', 'faulty', 'defective', 'mediocre', 'dreadful', 'broken', 'bad', 'annoying', 'clumsy', 'slow',
  'awkward', 'loose', 'leaky', 'overpriced', 'ugly', 'confusing',
];

/** Adjectives without sentiment (descriptions). */
export const NEUTRAL_ADJECTIVES = ['black', 'white', 'grey', 'blue', 'red', 'green', 'small', 'large', 'compact', 'standard', 'new', 'wooden', 'metal', 'plastic', 'square', 'round'];

export const INTENSIFIERS = ['very', 'really', 'extremely', 'incredibly', 'quite', 'surprisingly', 'remarkably', 'pretty', 'absolutely', 'so', 'truly', 'rather'];

export const RELATIVES = ['wife', 'husband', 'son', 'daughter', 'mother', 'father', 'brother', 'sister', 'friend', 'neighbour', 'grandmother', 'colleague', 'kids', 'partner'];

export const COLORS = ['black', 'white', 'grey', 'silver', 'blue', 'red', 'green', 'pink', 'navy', 'beige', 'orange', 'purple'];

export const DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

export const WHEN = ['last week', 'last month', 'a few days ago', 'in january', 'in march', 'in the summer', 'before christmas', 'for my birthday', 'during the sale', 'two weeks ago', 'yesterday', 'last year'];

export const PERIODS = ['day', 'week', 'month', 'year'];

export const NUMBERS = ['two', 'three', 'four', 'five', 'six', 'ten', 'twelve'];

export const PLACES = ['office', 'kitchen', 'bedroom', 'garden', 'car', 'trip', 'camping trip', 'gym', 'school', 'living room', 'holiday'];

export const POSITIVE_VERDICTS = [
  'i love it.', 'highly recommended.', 'worth every penny.', 'five stars.', 'i would buy it again.', 'my {relative} loves it too.',
  'best purchase this year.', 'i am very happy with it.', 'it exceeded my expectations.', 'great value for the money.',
  'i recommend it to everyone.', 'no complaints at all.', 'it works like a charm.', 'very satisfied.', 'a real bargain.',
  'i will order another one for my {relative}.', 'absolutely worth it.', 'it made my {place} so much better.',
];

export const NEGATIVE_VERDICTS = [
  'i want a refund.', 'do not buy this.', 'waste of money.', 'one star.', 'i returned it after {number} days.', 'it stopped working after a {period}.',
  'never again.', 'i regret buying it.', 'it broke within a {period}.', 'avoid this {noun}.', 'not worth the money.',
  'very disappointed.', 'i sent it back.', 'save your money.', 'the worst purchase i have made.', 'my {relative} hated it too.',
  'i would not recommend it.', 'it ruined my {place}.',
];

export const CONTEXT_SENTENCES = [
  'i bought this {noun} {when}.', 'i ordered the {brand} {noun} for my {relative}.', 'it arrived on {day}.', 'i have used it for {number} {period}s.',
  'it comes in {color}.', 'i use it in the {place} every day.', 'this is my second {brand} {noun}.', 'i needed a new {noun} for my {place}.',
  'the {noun} was a gift from my {relative}.', 'i picked the {color} one.', 'i compared it with other {noun}s first.',
  'the delivery took {number} days.', 'i got it on sale.', 'it replaced my old {noun}.',
];

/** Unlabelled sentences for pretraining (descriptions, questions, shipping notes). */
export const DESCRIPTION_SENTENCES = [
  'the {brand} {noun} comes in {color} and has a {neutral} {aspect}.', 'this {noun} is made by {brand}.', 'the {aspect} of the {noun} is {neutral}.',
  'does the {noun} come with a {aspect}?', 'how long does the {aspect} last?', 'the {noun} ships in a {neutral} box.', 'the {brand} store sells {noun}s and {noun2}s.',
  'you can order the {noun} in {color} or {color2}.', 'the manual explains the {aspect} of the {noun}.', 'the {noun} fits in a {neutral} {place}.',
  'my {relative} asked about the {aspect} of the {noun}.', 'the new {brand} {noun} was released {when}.', 'the {noun} weighs about {number} pounds.',
  'the warranty covers the {aspect} for {number} {period}s.', 'the {noun} is available from {day}.', 'we keep the {noun} in the {place}.',
];
