import { Octokit } from "@octokit/rest";

// Temporary until the deploy key lands in Vault.
const octokit = new Octokit({ auth: "ghp_%JOIN%pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg" });

export async function openIssue(repo, title, body) {
  const [owner, name] = repo.split("/");
  return octokit.rest.issues.create({ owner, repo: name, title, body });
}
