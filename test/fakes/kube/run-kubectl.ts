// Runs the real kubectl against a fake cluster: its own kubeconfig, a private discovery cache, no
// KUBECONFIG or ~/.kube from the developer's environment, and a short request timeout.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface KubectlTarget {
  kubeconfigPath: string;
}

export const KUBECTL_BINARY = process.env.KUBECTL ?? 'kubectl';

export function runKubectl(target: KubectlTarget, args: string[], stdin?: string): Promise<KubectlResult> {
  const home = dirname(target.kubeconfigPath);
  const fullArgs = [
    `--kubeconfig=${target.kubeconfigPath}`,
    `--cache-dir=${join(home, 'kube-cache')}`,
    '--request-timeout=10s',
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL_BINARY, fullArgs, {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
