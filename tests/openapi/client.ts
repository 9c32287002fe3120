// Compiled (never run) by test.sh against the types openapi-typescript generates from Okapi's OpenAPI document: if the
// document loses an operation, a field or a header a client relies on, this stops compiling.
import type { components, operations, paths } from "./generated/okapi";

type Objective = components["schemas"]["ObjectiveDto"];
type ObjectiveRequest = components["schemas"]["ObjectiveRequest"];
type Problem = components["schemas"]["ProblemDetails"];

type ListQuery = NonNullable<operations["objectivesList"]["parameters"]["query"]>;
type UpdateHeaders = NonNullable<operations["objectivesUpdate"]["parameters"]["header"]>;
type GetHeaders = NonNullable<operations["objectivesGet"]["parameters"]["header"]>;

const base = "http://localhost:5080";

export async function listObjectives(token: string, query: ListQuery): Promise<Objective[]> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const response = await fetch(`${base}/api/v1/objectives?${search}`, { headers: { Authorization: `Bearer ${token}` } });
  const page: paths["/api/v1/objectives"]["get"]["responses"][200]["content"]["application/json"] = await response.json();
  return [...page.items];
}

export async function revalidate(token: string, id: string, etag: string): Promise<Objective | "unchanged"> {
  const headers: GetHeaders = { "If-None-Match": etag };
  const response = await fetch(`${base}/api/v1/objectives/${id}`, { headers: { ...headers, Authorization: `Bearer ${token}` } });
  if (response.status === 304) {
    return "unchanged";
  }

  const body: operations["objectivesGet"]["responses"][200]["content"]["application/json"] = await response.json();
  return body;
}

export async function rename(token: string, objective: Objective, etag: string, title: string): Promise<Objective | Problem> {
  // Only the title and the cycle must be sent; everything else may be left out.
  const request: ObjectiveRequest = { title, cycleId: objective.cycleId };
  const headers: UpdateHeaders = { "If-Match": etag };
  const response = await fetch(`${base}/api/v1/objectives/${objective.id}`, {
    method: "PUT",
    headers: { ...headers, Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  if (response.status === 412) {
    const stale: operations["objectivesUpdate"]["responses"][412]["content"]["application/problem+json"] = await response.json();
    return stale;
  }

  const updated: operations["objectivesUpdate"]["responses"][200]["content"]["application/json"] = await response.json();
  return updated;
}

export async function storeValue(token: string, kpiId: string, value: number): Promise<void> {
  const path: keyof paths = "/api/v1/kpis/{id}/values";
  await fetch(`${base}${path.replace("{id}", kpiId)}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ value }),
  });
}

export async function signIn(email: string, password: string): Promise<boolean> {
  const body: components["schemas"]["SignInRequest"] = { email, password, rememberMe: false };
  const response = await fetch(`${base}/account/sign-in`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "include" });
  const answered: keyof operations["accountSignIn"]["responses"] = response.status as 204;
  return answered === 204;
}
