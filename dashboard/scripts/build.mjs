// `evidence build:strict` fails on a failing source query or chart, but a page query
// that fails is only logged ("<query> | Error in Query! ...") and its page built with
// the error in it. This runs the strict build and fails on those lines too.
import { spawn } from 'node:child_process';

const build = spawn('npx', ['evidence', 'build:strict'], { stdio: ['ignore', 'pipe', 'pipe'] });
let output = '';
for (const [stream, sink] of [
	[build.stdout, process.stdout],
	[build.stderr, process.stderr]
]) {
	stream.on('data', (chunk) => {
		output += chunk;
		sink.write(chunk);
	});
}
build.on('close', (code) => {
	const failed = [...new Set(output.split('\n').filter((line) => line.includes('Error in Query!')))];
	if (failed.length) {
		console.error(`\nThe build failed: ${failed.length} page queries failed:\n${failed.join('\n')}`);
		process.exit(1);
	}
	process.exit(code ?? 1);
});
