// zapier-platform-core patches node:http(s).request process-wide to log outbound calls. Under
// jest the patch outlives the test file that ran the app tester (a worker's test files share
// the core modules), and its request(options, callback) turns the connector's
// request(url, options) into a bare GET without headers or body: delivery tests that ran after
// an app test in the same worker failed. Tests need no such logging: here the patch does nothing.
module.exports = () => () => undefined;
