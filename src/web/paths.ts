/** `/articles/42/ferry-service-resumes`: the id finds it, the slug is for people and search engines. */
export function articlePath(a: { id: number; title: string }): string {
  const slug = a.title.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '')
  return slug ? `/articles/${a.id}/${encodeURIComponent(slug)}` : `/articles/${a.id}`
}
