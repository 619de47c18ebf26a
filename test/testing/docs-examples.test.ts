// Runs the testing examples of docs/testing.md as part of the suite, so that they stay true.
import '../../docs/examples/testing-example.js';
import '../../docs/examples/testing-property.js';
import '../../docs/examples/testing-race.js';
