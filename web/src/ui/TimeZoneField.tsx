/** A searchable list of the browser's ~400 time zones (React Aria combobox: type to filter, arrows to choose). */
import { Button, ComboBox, Input, Label, ListBox, ListBoxItem, Popover, Text } from 'react-aria-components'
import { fieldError } from './form.js'
import './aria.js'

/** Every IANA zone the browser knows, with the saved one and the browser's own first. */
export function timeZones(current: string): string[] {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone
  const all = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? []
  return [...new Set([current, own, 'UTC', ...all])]
}

export function TimeZoneField({ label, name, defaultValue, error }: { label: string; name: string; defaultValue: string; error?: unknown }) {
  const message = fieldError(error, name)
  return (
    <ComboBox className="field" name={name} formValue="key" defaultValue={defaultValue} defaultInputValue={defaultValue} defaultItems={timeZones(defaultValue).map((id) => ({ id }))} isInvalid={!!message}>
      <Label>{label}</Label>
      <div className="combo-input">
        <Input />
        <Button aria-label="Show time zones">
          <span aria-hidden="true">▾</span>
        </Button>
      </div>
      {message && (
        <Text slot="errorMessage" className="field-error">
          {message}
        </Text>
      )}
      <Popover className="popover">
        <ListBox className="listbox">{(z: { id: string }) => <ListBoxItem id={z.id}>{z.id}</ListBoxItem>}</ListBox>
      </Popover>
    </ComboBox>
  )
}
