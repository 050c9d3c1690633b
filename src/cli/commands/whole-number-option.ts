// Commander's parser of whole-number options, on the project's one whole-number parser.
import { InvalidArgumentError } from 'commander';

import { describeBounds, parseWholeNumber, type WholeNumberBounds } from '../../whole-number.js';

export function wholeNumberOption(bounds: WholeNumberBounds): (value: string) => number {
  return value => {
    const number = parseWholeNumber(value, bounds);
    if (number === undefined) throw new InvalidArgumentError(`expected ${describeBounds(bounds)}`);
    return number;
  };
}
