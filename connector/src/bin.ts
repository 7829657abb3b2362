#!/usr/bin/env node
// The connector's command (`contact-centre-connector`, `node connector/dist/connector/src/bin.js`).
// It checks the Node.js version before main.js loads node:sqlite, which older versions lack.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  console.error(
    `The connector needs Node.js 22.13 or newer (its embedded database is node:sqlite), and this is ${process.versions.node}: ` +
      'start it through npm (npm start, npm run connector, or npx contact-centre-connector in an installed package), which uses the Node 22 it installs, or install Node.js 22.',
  );
  process.exit(1);
}
// node:sqlite is stable enough for us; its ExperimentalWarning would only alarm operators.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'ExperimentalWarning') console.warn(warning);
});
await import('./main.js');
