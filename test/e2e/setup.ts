// Emulator tests run real terraform: one apply takes about a minute on a 2-core machine.
jest.setTimeout(300_000);
