// Stands in for zapier-platform-core's src/tools/memory-checker.js under jest.
// In Zapier's Lambda that check calls process.exit(1) once a process has served 250 runs with
// more than 450 MB resident, so the platform restarts it. A jest worker running a test file
// with hundreds of app runs passes both marks (jest and ts-jest count in the RSS), and the
// exit kills the worker mid-file. Tests are not a Lambda: the check does nothing here.
'use strict';

module.exports = () => {};
