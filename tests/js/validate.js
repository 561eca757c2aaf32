// Reads a JSON array of jambonz verbs on stdin; exits 1 with the reason if one is invalid.
const {validate} = require('@jambonz/verb-specifications');
const logger = {debug: () => {}, info: () => {}, error: () => {}, warn: () => {}};
let input = '';
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  try {
    validate(logger, JSON.parse(input));
    console.log('valid');
  } catch (err) {
    console.error(String(err && err.message ? err.message : err));
    process.exit(1);
  }
});
