import { slugify } from '../pipeline/enrich/tags.js'

/** `/articles/42/ferry-service-resumes`: the id finds it, the slug is for people and search engines. */
export function articlePath(a: { id: number; title: string }): string {
  const slug = slugify(a.title, 80)
  return slug ? `/articles/${a.id}/${encodeURIComponent(slug)}` : `/articles/${a.id}`
}
