/**
 * The variables `cistern up` writes to DATA_DIR/env, so that kubectl, the AWS CLI and the AWS SDKs reach this
 * Cistern after one `source`.
 */
import { writeEnvFile } from "./kubeconfig.js";

export interface ClusterEnvInput {
  kubeconfigPath: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  efsUrl: string;
  caPath: string;
}

export function clusterEnv(i: ClusterEnvInput): Record<string, string> {
  return {
    KUBECONFIG: i.kubeconfigPath,
    AWS_ACCESS_KEY_ID: i.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: i.credentials.secretAccessKey,
    AWS_REGION: i.region,
    // AWS CLI v1 (pip) and boto3 read only AWS_DEFAULT_REGION; the JS SDK and AWS CLI v2 read AWS_REGION.
    AWS_DEFAULT_REGION: i.region,
    AWS_ENDPOINT_URL_EFS: i.efsUrl,
    // The AWS CLI and boto3 read AWS_CA_BUNDLE; Node (the JS SDK) reads NODE_EXTRA_CA_CERTS.
    AWS_CA_BUNDLE: i.caPath,
    NODE_EXTRA_CA_CERTS: i.caPath,
  };
}

export function writeClusterEnv(path: string, i: ClusterEnvInput): void {
  writeEnvFile(path, clusterEnv(i));
}
