import { request, type Agent } from 'node:http';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';

/** One create as alice over a keep-alive agent (plain node:http: no client-side pool limits or fetch overhead). */
export function postCreate(url: string, agent: Agent, labels: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ labels });
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1/apikeys`,
      {
        method: 'POST',
        agent,
        headers: { 'x-api-key': DEV_KEYS.alice, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
