/** Form building blocks that show the server's per-field errors next to the right input. */
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react'
import { ApiError } from '../api/client.js'

export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldMessage(field) : undefined
}

interface FieldProps {
  label: string
  name: string
  error?: unknown
  hint?: ReactNode
}

function Described({ id, hint, message }: { id: string; hint?: ReactNode; message?: string }) {
  return (
    <>
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {message && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {message}
        </span>
      )}
    </>
  )
}

const describedBy = (id: string, hint: unknown, message: unknown) =>
  [hint ? `${id}-hint` : '', message ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined

export function TextField({ label, name, error, hint, ...rest }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId()
  const message = fieldError(error, name)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, hint, message)} {...rest} />
      <Described id={id} hint={hint} message={message} />
    </div>
  )
}

export function TextArea({ label, name, error, hint, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId()
  const message = fieldError(error, name)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, hint, message)} {...rest} />
      <Described id={id} hint={hint} message={message} />
    </div>
  )
}

export function SelectField({ label, name, error, hint, children, ...rest }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId()
  const message = fieldError(error, name)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy(id, hint, message)} {...rest}>
        {children}
      </select>
      <Described id={id} hint={hint} message={message} />
    </div>
  )
}

/** The form-level message: the server's message, unless every problem is shown at its field. */
export function FormError({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  if (!error) return null
  if (error instanceof ApiError) {
    const unshown = error.fields.filter((f) => !fields.some((name) => f.field === name || f.field.endsWith(`.${name}`)))
    if (error.fields.length && !unshown.length) return null
    return (
      <div className="error-box" role="alert">
        <p>{error.message}</p>
        {unshown.length > 0 && (
          <ul>
            {unshown.map((f) => (
              <li key={f.field + f.code}>
                {f.field}: {f.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    )
  }
  return (
    <div className="error-box" role="alert">
      <p>{(error as Error).message ?? String(error)}</p>
    </div>
  )
}

/** Reads a form's named inputs into an object of strings. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') out[k] = v
  return out
}
